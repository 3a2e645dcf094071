import * as fs from 'node:fs';
import * as path from 'node:path';
import { FIXTURES, fileResult, runJest, runJestWithReporter, statuses, testResult } from './helpers/runJest';
import { processesUnder } from './helpers/leftovers';

// Processes mode end to end: every fault kind on process-spec nodes and on NodeFactory nodes, and a
// node process that exits by itself, is never ready, or floods its output, reported against its role.
// After every run no process started from the fixture remains.
describe('processes mode', () => {
  afterEach(() => {
    for (const project of ['procs', 'procfactory', 'procfail']) expect(processesUnder(path.join(FIXTURES, project))).toEqual([]);
  });

  const faultTests = (suite: string): string[] =>
    [
      suite === 'process-spec nodes' ? 'reach each other through their peers and replicate a write' : 'run in their own process and replicate a write',
      suite === 'process-spec nodes' ? 'partition refuses connections between the sides and heal restores them' : 'partition stops messages between the sides, heal restores them',
      'blackhole stops one direction only',
      suite === 'process-spec nodes' ? 'delay holds the bytes of a link' : 'delay adds latency to a link',
      suite === 'process-spec nodes' ? 'drop(1) resets every connection that carries bytes' : 'drop(1) loses every message of a link',
      suite === 'process-spec nodes' ? 'crash kills the node, restart brings it back with its data dir, leave stops it' : 'crash kills the process, restart starts a new one, leave stops it',
    ].map((name) => `${suite} ${name}: passed`);

  it('applies every fault kind to process-spec nodes, at the proxies between them', async () => {
    const run = await runJest('procs', ['--detectOpenHandles']);
    expect(run.stderr).not.toMatch(/open handle/i);
    expect(statuses(run)).toEqual(faultTests('process-spec nodes'));
    expect(run.exitCode).toBe(0);
  }, 200_000);

  it('applies every fault kind to NodeFactory nodes, each in its own process', async () => {
    const run = await runJest('procfactory', ['--detectOpenHandles']);
    expect(run.stderr).not.toMatch(/open handle/i);
    expect(statuses(run)).toEqual(faultTests('NodeFactory nodes in processes'));
    expect(run.exitCode).toBe(0);
  }, 200_000);

  it('reports a node process that exits by itself, is never ready (saying when it listens on the wrong address), or floods its output against its role', async () => {
    type Event = { type: string; role: string; level: string; message: string; lamport: number };
    let floodLog: Array<{ level: string; message: string }> = [];
    let exitsTrace: Event[] = [];
    const run = await runJestWithReporter('procfail', [], {
      readReport: (dir) => {
        const trace = JSON.parse(fs.readFileSync(path.join(dir, 'floods.test.ts.mntrace'), 'utf8')) as { events: Array<{ type: string; role: string; level: string; message: string }> };
        floodLog = trace.events.filter((e) => e.type === 'log' && e.role === 'b' && !e.message.startsWith('xxxx'));
        exitsTrace = (JSON.parse(fs.readFileSync(path.join(dir, 'exits.test.ts.mntrace'), 'utf8')) as { events: Event[] }).events;
      },
    });
    expect(run.exitCode).toBe(1);
    // A node that exits during a test fails that test, naming its role: another role's node, and the lead's own.
    for (const [file, role, name] of [
      ['exits.test.ts', 'b', 'a node that exits exits while the test runs'],
      ['exitslead.test.ts', 'a', "the lead's node exits exits while the test runs"],
    ] as const) {
      const exited = new RegExp(`\\[${role}\\] The node process of role '${role}' \\(incarnation 0, pid \\d+\\) exited with code 7 without being asked to\\. Its last output lines:[^]*stderr \\| ${role} exits by itself`);
      const test = testResult(run, name);
      // Seen while the test runs, the exit fails that test; seen just after its end (the clients saw the
      // refusal first, and the lead's event loop was busy), it fails the file. Either way it names the role.
      if (test.status === 'failed') {
        expect(test.failureMessages[0]).toMatch(exited);
        expect(fileResult(run, file).message).not.toMatch(/outside any test/);
      } else {
        expect(fileResult(run, file).message).toMatch(exited);
        expect(fileResult(run, file).message).toMatch(/outside any test/);
      }
    }
    // The node's lines take their place among its role's own events, on the role's one Lamport clock:
    // b's stderr line comes before b's end of the test.
    const bEvents = exitsTrace.filter((e) => e.role === 'b').sort((x, y) => x.lamport - y.lamport);
    expect(new Set(bEvents.map((e) => e.lamport)).size).toBe(bEvents.length);
    const said = bEvents.findIndex((e) => e.type === 'log' && e.message === 'b exits by itself');
    expect(said).toBeGreaterThanOrEqual(0);
    expect(said).toBeLessThan(bEvents.findIndex((e) => e.type === 'test-end'));
    expect(fileResult(run, 'exitsearly.test.ts').message).toMatch(/Set-up failed on role 'b'[^]*exited with code 3 before it was ready; it was waiting for a 2xx answer from http:\/\/127\.[\d.]+:\d+\/health[^]*stderr \| b refuses to start: exit-at-once/);
    expect(fileResult(run, 'notready.test.ts').message).toMatch(/Set-up failed on role 'b'[^]*was not ready within 1500 ms \(waiting for a 2xx answer from [^)]+\) and was killed; raise the setupTimeoutMs option if it needs longer[^]*stdout \| b is thinking forever/);
    if (process.platform === 'linux') {
      expect(fileResult(run, 'wronghost.test.ts').message).toMatch(
        /was not ready within 1500 ms \(waiting for a 2xx answer from http:\/\/(127\.[\d.]+):\d+\/health\) and was killed; raise the setupTimeoutMs option if it needs longer\. Something accepts connections on 127\.0\.0\.1:\d+, so the node probably listens there instead of on MULTINODE_HOST \(127\.[\d.]+\): listen on MULTINODE_HOST, or on every address\./,
      );
    }
    expect(fileResult(run, 'floods.test.ts').status).toBe('passed');
    // A failing file keeps its nodes' data dirs and says where; a passing one (floods) leaves none.
    const kept = [...run.stderr.matchAll(/multinode: (\S+) failed; its nodes' data dirs are kept at (\S+)/g)].map((m) => [m[1], m[2]] as const);
    // Off Linux every role listens on 127.0.0.1, so the wrong-address file passes there.
    const failing = ['exits.test.ts', 'exitsearly.test.ts', 'exitslead.test.ts', 'notready.test.ts', ...(process.platform === 'linux' ? ['wronghost.test.ts'] : [])];
    expect(kept.map(([file]) => file).sort()).toEqual(failing);
    for (const [, dir] of kept) {
      expect(fs.readdirSync(dir!).sort()).toEqual(['a', 'b']);
      fs.rmSync(dir!, { recursive: true, force: true });
    }
    expect(floodLog).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ level: 'warn', message: expect.stringMatching(/^role 'b' \(incarnation 0\) writes output faster than 262144 bytes\/s/) }),
        expect.objectContaining({ level: 'warn', message: expect.stringMatching(/^role 'b' \(incarnation 0\) wrote \d+ more lines \(\d+ bytes\) than the log takes; they were dropped\.$/) }),
      ]),
    );
  }, 200_000);
});
