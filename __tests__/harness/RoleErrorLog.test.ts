import { RoleErrorLog } from '../../src/harness/RoleErrorLog';
import { TraceCollector } from '../../src/harness/TraceCollector';

const header = { testPath: '/p/a.test.ts', rootDir: '/p', roles: ['a', 'b', 'c'], seed: 1, mode: 'threads' as const, modeFromEnv: false, startedAt: 0 };
const error = (message: string) => ({ name: 'Error', message });

describe('RoleErrorLog', () => {
  it('puts every error into the trace with its role and time', () => {
    const trace = new TraceCollector(header);
    const log = new RoleErrorLog(trace);
    log.record('b', 20, error('late'));
    log.record('a', 10, error('own'), true);
    expect(trace.build(30).roleErrors).toEqual([
      { role: 'b', time: 20, error: error('late') },
      { role: 'a', time: 10, error: error('own') },
    ]);
  });

  it('hands Jest only what nothing reported, in time order, once', () => {
    const log = new RoleErrorLog(new TraceCollector(header));
    log.record('c', 30, error('stop timed out'));
    log.record('a', 5, error("in the lead's run already"), true);
    const carried = log.record('b', 10, error('file failed'));
    log.record('b', 20, error('afterAll broke'));
    carried.reported = true;
    expect(log.takeUnreported().map((e) => `${e.role} ${e.time} ${e.error.message}`)).toEqual(['b 20 afterAll broke', 'c 30 stop timed out']);
    expect(log.takeUnreported()).toEqual([]);
  });
});
