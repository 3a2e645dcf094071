import { runJestWithReporter, testResult, type JestRun } from './helpers/runJest';

/**
 * Real Jest, with the reporter, on the `stuck` fixture project: a role stuck in a synchronous loop is
 * named as the root cause (with default timeouts, and with a test timeout shorter than the barrier
 * timeout), the verdict comes once the other roles wait for it, and a role that grows past
 * `roleMemoryMb` is ended and reported as out of memory.
 */
let run: JestRun;

beforeAll(async () => {
  run = await runJestWithReporter('stuck');
}, 200_000);

/** The reporter's lines for the failed test whose title ends with `title`. */
function reportedCauses(title: string): string[] {
  const lines = run.stderr.split('\n');
  const at = lines.findIndex((line) => line.includes(`✕ `) && line.includes(title));
  if (at < 0) throw new Error(`The reporter printed no failed test "${title}". stderr:\n${run.stderr.slice(-3000)}`);
  const causes: string[] = [];
  for (const line of lines.slice(at + 1)) {
    const match = /^\s+(root cause|consequence)\s+(\S+)\s/.exec(line);
    if (match !== null) causes.push(`${match[1]} ${match[2]}`);
    // Past the causes, the further lines of their messages (indented under the first) and the lines
    // between the root causes and the consequences (the first anomaly, the HTML timeline).
    else if (!/^ {12,}\S/.test(line) && !/^\s+(first anomaly|html timeline:) /.test(line)) break;
  }
  return causes;
}

describe('a role stuck in a synchronous loop', () => {
  it('is the root cause, ended once every other role waits for it, long before the barrier timeout (defaults)', () => {
    const result = testResult(run, 'hung with default timeouts names the role stuck in a loop as the root cause');
    const [root, ...rest] = result.failureMessages;
    expect(root).toMatch(/^RoleTerminatedError: \[c\] Role 'c' was terminated: it stopped answering for \d+\.\d s while every other role waited for it/);
    expect(rest).toHaveLength(2);
    for (const message of rest) expect(message).toMatch(/^BarrierFailedError: \[[ab]\] Barrier 'meet' was abandoned because role 'c' failed this test/);
    expect(reportedCauses('names the role stuck in a loop as the root cause')).toEqual(['root cause c', 'consequence a', 'consequence b']);
  });

  it('is the root cause when the waiting roles time out first, and their timeouts are its consequences', () => {
    const name = 'hung with a short test timeout names the role stuck in a loop as the root cause, not the timeouts of the roles that waited';
    const [root, ...rest] = testResult(run, name).failureMessages;
    expect(root).toMatch(/^RoleTerminatedError: \[c\] Role 'c' was terminated/);
    expect(rest).toHaveLength(2);
    for (const message of rest) expect(message).toMatch(/^(Error|BarrierFailedError): \[[ab]\] .*consequence of role c's failure/s);
    expect(reportedCauses('not the timeouts of the roles that waited')).toEqual(['root cause c', 'consequence a', 'consequence b']);
    // The role ran the test from its start until it was ended, not 0 ms.
    expect(run.stderr).toMatch(/✕ hung with a short test timeout › .* c ✕ terminated after \d+\.\d\d s\n/);
  });
});

it('ends a role that grows past roleMemoryMb and reports it as out of memory', () => {
  const [root, ...rest] = testResult(run, 'runaway memory ends the role that grows past roleMemoryMb').failureMessages;
  expect(root).toBe("RoleTerminatedError: [b] Role 'b' was terminated: it ran out of memory: its heap passed 128 MiB (roleMemoryMb).");
  expect(rest.join('\n')).toMatch(/consequence of role b's failure/);
});

it('exits on its own with exit code 1, as the reporter says', () => {
  expect(run.exitCode).toBe(1);
  expect(run.stderr).toMatch(/multinode: multi-node tests failed in 3 files/);
  expect(run.stderr).not.toMatch(/did not exit one second after the test run has completed/);
});
