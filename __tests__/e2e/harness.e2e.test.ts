import { fileResult, runJest, testResult, type JestRun } from './helpers/runJest';

/**
 * Real Jest on the `harness` fixture project (three roles, the kv fixture node): merged verdicts,
 * barriers, every fault kind, hung and failing roles, docblock options.
 */
let run: JestRun;

beforeAll(async () => {
  run = await runJest('harness');
}, 200_000);

const messages = (name: string): string[] => testResult(run, name).failureMessages;

describe('merged verdicts', () => {
  it('passes a test only when it passed on every role', () => {
    expect(testResult(run, 'verdicts passes when every role passes').status).toBe('passed');
  });

  it('fails a test that failed on one role, with that role first in the message', () => {
    const result = testResult(run, 'verdicts fails on one role only');
    expect(result.status).toBe('failed');
    expect(result.failureMessages).toHaveLength(1);
    expect(result.failureMessages[0]).toMatch(/^Error: \[c\] expect\(received\)\.not\.toBe\(expected\)/);
    expect(result.failureDetails[0]).toMatchObject({ role: 'c' });
  });

  it('lists the root cause first and marks the other roles as consequences', () => {
    const [root, ...rest] = messages('verdicts reports consequences after the root cause');
    expect(root).toMatch(/\[c\] c broke on purpose/);
    expect(rest).toHaveLength(2);
    for (const message of rest) {
      expect(message).toMatch(/\[[ab]\] Barrier 'after-break' was abandoned because role 'c' failed this test \(c broke on purpose\)\. This is a consequence/);
    }
  });

  it('names the missing role and what it was doing on a barrier timeout', () => {
    const [first] = messages('verdicts names the missing role on a barrier timeout');
    expect(first).toMatch(/\[a\] Role 'a' waited \d+ ms \(timeout 300 ms\) at barrier 'slow', but 'c' did not arrive:\n  role 'c' was running "verdicts names the missing role on a barrier timeout", (last did something \d\.\d s ago \(started the test\), )?last logged "kv node c started"/);
  });

  it('fails a barrier at once when a participant finished the test without entering it', () => {
    const result = testResult(run, 'verdicts fails a barrier at once when a participant finishes without entering');
    expect(result.failureMessages).toHaveLength(2);
    for (const message of result.failureMessages) expect(message).toMatch(/Role 'b' finished the test without entering barrier 'skipped-by-b'/);
  });

  it('passes a gather that every role entered', () => {
    expect(testResult(run, 'gathers exchanges values').status).toBe('passed');
  });

  it('fails a gather at once when a participant finished the test without entering it, naming it', () => {
    const result = testResult(run, 'gathers fails at once when a participant finishes without entering');
    expect(result.status).toBe('failed');
    expect(result.failureMessages).toHaveLength(2);
    for (const message of result.failureMessages) expect(message).toMatch(/\[[ac]\] Role 'b' finished the test without entering gather 'skipped-by-b', so the gather cannot complete\./);
  });

  it("fails the others' gather as a consequence of the role that failed, root cause first", () => {
    const [root, ...rest] = messages('gathers fails for the others as a consequence of a participant that failed');
    expect(root).toMatch(/\[c\] c broke before gathering/);
    expect(rest).toHaveLength(2);
    for (const message of rest) expect(message).toMatch(/\[[ab]\] Gather 'after-break' was abandoned because role 'c' failed this test \(c broke before gathering\)\. This is a consequence/);
  });

  it('fails a test that uses one name for a barrier and a gather, naming both', () => {
    const [root] = messages('gathers rejects a barrier and a gather of the same name in one test');
    expect(root).toMatch(/Role '[ac]' called (barrier|gather)\('mixed'\), but role '[ac]' already used (gather|barrier)\('mixed'\) in this test; barriers and gathers share one name space per test/);
  });

  it('points the code frame of a barrier error at the test code', () => {
    const [message] = messages('verdicts fails a barrier at once when a participant finishes without entering');
    expect(message.split('\n')[1]).toMatch(/verdicts\.test\.ts:\d+:\d+/);
  });

  it.each([
    'verdicts supports barriers of a subset of roles',
    'verdicts rejects a barrier called from a role outside its roles',
    'verdicts reuses a barrier name in another test (first)',
    'verdicts reuses a barrier name in another test (second)',
    'verdicts rejects runOn with an unknown role',
    'verdicts eventually rethrows the last error with how long and how often it tried',
    'verdicts runs each row on every role (1)',
    'verdicts runs each row on every role (2)',
    'verdicts knows its role',
    'timeouts lets the test timeout win over the block timeout',
    'runs tests outside describe.multinode on the lead only',
    'rejects a barrier of every role in a test that runs on the lead only',
  ])('passes "%s"', (name) => {
    expect(testResult(run, name)).toMatchObject({ status: 'passed' });
  });

  it('keeps .skip and .todo as they are', () => {
    expect(testResult(run, 'verdicts is skipped everywhere').status).toBe('pending');
    expect(testResult(run, 'verdicts is a todo everywhere').status).toBe('todo');
  });

  it("applies describe.multinode's timeoutMs to its tests on every role", () => {
    expect(messages('timeouts uses the block timeout')[0]).toMatch(/^Error: \[b\] thrown: "Exceeded timeout of 400 ms/);
  });
});

describe('faults through the fixture node', () => {
  it.each([
    'faults partition cuts both directions and heal restores them',
    'faults isolate partitions one role from every other',
    'faults blackhole drops one direction only',
    'faults delay holds messages back, and a later heal does not hurry one in flight',
    'faults delay accepts a range',
    'faults drop with probability 1 drops everything and 0.5 drops some',
    'faults rejects bad fault arguments with clear errors',
    'node faults crash kills the node: its links are cut and its test code keeps running',
    'node faults restart starts a fresh node with the next incarnation',
    'node faults restart of a running node bounces it',
    'node faults leave stops the node gracefully and cuts its links',
    'node faults the lead can crash and restart itself',
  ])('passes "%s"', (name) => {
    const result = testResult(run, name);
    expect({ name, status: result.status, failures: result.failureMessages }).toEqual({ name, status: 'passed', failures: [] });
  });
});

describe('roles that fail outside a test or hang', () => {
  it('terminates a role stuck in a synchronous loop and still finishes the file', () => {
    expect(messages('hung role terminates a role stuck in a synchronous loop')[0]).toMatch(
      /^RoleTerminatedError: \[c\] Role 'c' was terminated: it did not finish test "hung role terminates a role stuck in a synchronous loop" within 800 ms/,
    );
    expect(messages('hung role reports the terminated role in later tests')[0]).toMatch(/\[c\] Role 'c' was terminated/);
  });

  it('reports a top-level throw of one role against that role in every test', () => {
    expect(messages('top-level failure fails on the role whose file failed')[0]).toMatch(
      /\[c\] The test file failed on role 'c' outside any test, so "top-level failure fails on the role whose file failed" did not run there: role c failed at the top level/,
    );
  });

  it('reports a beforeAll failure of one role against its tests', () => {
    expect(messages('beforeAll failure fails with the hook error of role b')[0]).toMatch(/^Error: \[b\] beforeAll broke on b/);
  });

  it('reports an unhandled rejection against the role that rejected', () => {
    expect(messages('unhandled rejection is reported against the role that rejected')[0]).toMatch(/\[b\] b rejected without a handler/);
  });

  it('fails every test with a clear error when roles define different tests', () => {
    expect(messages('mismatch is defined everywhere')[0]).toMatch(/Roles define different tests inside describe\.multinode: role 'b' has the extra test "mismatch is defined on b only"/);
  });
});

describe('options', () => {
  it('takes roles and seed from the docblock', () => {
    expect(testResult(run, 'docblock uses the roles and seed from the docblock').status).toBe('passed');
  });
});

describe('the run as a whole', () => {
  it('exits on its own with a failing exit code, without --forceExit', () => {
    expect(run.exitCode).toBe(1);
    expect(run.stderr).not.toMatch(/did not exit one second after the test run has completed/);
  });

  it('reports every file', () => {
    for (const file of ['verdicts.test.ts', 'faults.test.ts', 'hung.test.ts', 'toplevel.test.ts', 'beforeall.test.ts', 'mismatch.test.ts', 'docblock.test.ts', 'unhandled.test.ts']) {
      expect(fileResult(run, file).assertionResults.length).toBeGreaterThan(0);
    }
  });
});
