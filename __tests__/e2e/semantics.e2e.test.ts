import { fileResult, runJest, runJestWithReporter, testResult, type JestRun } from './helpers/runJest';

/**
 * Real Jest on the `semantics` fixture project (three roles, the kv fixture node): Jest's own test
 * semantics inside describe.multinode — retries, `.failing`, `.concurrent`, timeouts, `.each` — and
 * the wording of the failures they produce.
 */
let run: JestRun;

beforeAll(async () => {
  run = await runJestWithReporter('semantics');
}, 200_000);

const status = (name: string): string => testResult(run, name).status;
const messages = (name: string): string[] => testResult(run, name).failureMessages;

describe('verdicts', () => {
  it('retries a test on every role, in lockstep, when it failed on one role (jest.retryTimes)', () => {
    expect(status('retry passes on the second attempt after failing on c')).toBe('passed');
    expect(status('after the retries every role ran the flaky test twice and the broken one three times')).toBe('passed');
  });

  it('reports a test that fails on every attempt once, with the last attempt’s error', () => {
    const failures = messages('retry fails on b every time');
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/^Error: \[b\] expect\(received\)\.not\.toBe\(expected\)/);
  });

  it('inverts the merged verdict of test.failing, not each role’s', () => {
    expect(status('failing passes when the test fails on one role only')).toBe('passed');
    expect(status('failing passes when the test fails on every role')).toBe('passed');
    const failures = messages('failing fails when the test passes on every role');
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/^Error: Failing test passed on every role \(a, b, c\) even though it was supposed to fail/);
  });

  it('refuses test.concurrent inside describe.multinode when the file is defined', () => {
    expect(fileResult(run, 'concurrent.test.ts').message).toMatch(
      /MultinodeDescribeError: test\.concurrent is not supported inside describe\.multinode: "runs concurrently"\. The tests of a multi-node block share one cluster/,
    );
  });
});

describe('timeouts', () => {
  it('applies jest.setTimeout to multi-node tests', () => {
    expect(messages('jest.setTimeout bounds a multi-node test')[0]).toMatch(/Exceeded timeout of 1000 ms for a test/);
  });

  it("lets a test's own timeout win over jest.setTimeout and over describe.multinode's timeoutMs", () => {
    expect(status('jest.setTimeout loses to the test own timeout')).toBe('passed');
    expect(messages('describe.multinode timeoutMs loses to the test own timeout')[0]).toMatch(/Exceeded timeout of 1000 ms for a test/);
  });

  it("lets describe.multinode's timeoutMs win over jest.setTimeout", () => {
    expect(status('describe.multinode timeoutMs wins over jest.setTimeout')).toBe('passed');
  });

  it('does not take Jest’s built-in default for an explicit timeout', () => {
    expect(status('explicit Jest timeout bounds a multi-node test')).toBe('passed');
  });

  it.each([
    ['--testTimeout', ['--testTimeout=1000'], {}],
    ['config testTimeout', [], { SEMANTICS_CONFIG_TIMEOUT_MS: '1000' }],
  ])('applies %s to multi-node tests', async (_how, args, env) => {
    const timed = await runJest('semantics', [...args, 'jesttimeout'], { env });
    expect(testResult(timed, 'explicit Jest timeout bounds a multi-node test').failureMessages[0]).toMatch(/Exceeded timeout of 1000 ms for a test/);
  }, 120_000);
});

describe('describe.multinode.each', () => {
  it.each(['table row 1 runs one on every role', 'table row 2 runs two on every role', 'template row 3 runs on every role', 'row 5 with options runs on every role'])(
    'runs "%s" on every role',
    (name) => {
      expect(status(name)).toBe('passed');
    },
  );

  it('skips the rows of .skip.each and runs only the rows of .only.each', () => {
    expect(status('skipped row 6 does not run')).toBe('pending');
    expect(status('focused row 1 runs on every role')).toBe('passed');
    expect(status('focused row 2 runs on every role')).toBe('passed');
    expect(status('not focused does not run')).toBe('pending');
  });

  it('validates the arguments of .only and .skip as describe.multinode does', () => {
    expect(fileResult(run, 'badonly.test.ts').message).toMatch(/describe\.multinode\.only options must be an object like \{ timeoutMs: 60000 \}; it was given 42\./);
    expect(fileResult(run, 'badskip.test.ts').message).toMatch(/describe\.multinode\.skip\("no function", \.\.\.\) needs a function that defines the tests; it was given undefined\./);
  });
});

describe('messages', () => {
  it('says once that eventually gave up', () => {
    const failures = messages('messages eventually says once that it gave up');
    expect(failures).toHaveLength(3);
    for (const failure of failures) expect(failure.match(/eventually gave up after/g)).toHaveLength(1);
  });

  it("prints a role's test timeout as Jest does, on real lines, once", () => {
    const [failure] = messages('messages a role timeout reads as Jest prints it');
    expect(failure).toMatch(/^Error: \[c\] thrown: "Exceeded timeout of 500 ms for a test\.\nAdd a timeout value to this test/);
    expect(failure).not.toContain('\\n');
    expect(failure.match(/Add a timeout value/g)).toHaveLength(1);
  });

  it("shows the changed lines of a long diff in the reporter's root-cause box", () => {
    const box = run.stderr.slice(run.stderr.indexOf('✕ messages › shows the changed line of a long diff'));
    expect(box).toMatch(/root cause {3}c {2}expect\(received\)\.toEqual\(expected\)/);
    expect(box).toContain('-   "line 15",');
    expect(box).toContain('+   "the changed line",');
  });

  it('names the option to raise when a node factory never resolves', () => {
    expect(fileResult(run, 'setuptimeout.test.ts').message).toMatch(/did not finish within 1000 ms; raise the setupTimeoutMs option if it needs longer/);
  });

  it('offers the node typed through multinode.systemAs', () => {
    expect(status('systemAs types the node, on the global and on the globals module')).toBe('passed');
  });
});
