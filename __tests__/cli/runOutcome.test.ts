import { describe, expect, it } from '@jest/globals';
import { oneLine, runOutcome, type JestJsonResult, type RunExit } from '../../src/cli';

const file = (name: string, status: string, tests: Array<[string, string]>, message = ''): JestJsonResult['testResults'][number] => ({
  name,
  status,
  message,
  assertionResults: tests.map(([fullName, testStatus]) => ({ fullName, status: testStatus })),
});

const exit = (json: JestJsonResult | null, overrides: Partial<RunExit> = {}): RunExit => ({ json, exitCode: 1, signal: null, outputTail: '', cwd: '/project', ...overrides });

describe('runOutcome', () => {
  it('reads a passing run as no failed test and no problem', () => {
    const json = { success: true, numTotalTestSuites: 1, testResults: [file('/project/a.test.ts', 'passed', [['a works', 'passed']])] };
    expect(runOutcome(exit(json, { exitCode: 0 }))).toEqual({ failedTests: [], problems: [] });
  });

  it('lists the failed tests of every file by full name', () => {
    const json = {
      success: false,
      numTotalTestSuites: 2,
      testResults: [
        file('/project/a.test.ts', 'failed', [['a works', 'passed'], ['a converges', 'failed']]),
        file('/project/b.test.ts', 'failed', [['b one', 'failed'], ['b two', 'pending']]),
      ],
    };
    expect(runOutcome(exit(json))).toEqual({ failedTests: ['a converges', 'b one'], problems: [] });
  });

  it('names a file that failed outside its tests, relative to the project, with the first line of its message', () => {
    const json = { success: false, numTotalTestSuites: 1, testResults: [file('/project/test/c.test.ts', 'failed', [], '  ● Test suite failed to run\n\n    Cannot find module x\n    more')] };
    expect(runOutcome(exit(json)).problems).toEqual(['test/c.test.ts failed outside its tests: Cannot find module x']);
  });

  it('says when Jest found no test file', () => {
    expect(runOutcome(exit({ success: false, numTotalTestSuites: 0, testResults: [] })).problems).toEqual(['Jest found no test file to run; check the Jest arguments after --.']);
  });

  it('says when Jest failed although every test passed, with what it printed', () => {
    const json = { success: true, numTotalTestSuites: 1, testResults: [file('/project/a.test.ts', 'passed', [['a', 'passed']])] };
    expect(runOutcome(exit(json, { exitCode: 1, outputTail: 'coverage threshold\n  not met' })).problems).toEqual(['Jest exited with code 1 although every test passed; it printed: coverage threshold not met']);
  });

  it('says how a run without a result ended and what it printed last', () => {
    expect(runOutcome(exit(null, { exitCode: null, signal: 'SIGKILL', outputTail: 'out of\nmemory' }))).toEqual({ failedTests: [], problems: ['Jest was killed by SIGKILL without writing a result; it printed: out of memory'] });
    expect(runOutcome(exit(null, { exitCode: 1 })).problems).toEqual(['Jest exited with code 1 without writing a result; it printed: (nothing)']);
  });
});

describe('oneLine', () => {
  it('joins lines and cuts long text', () => {
    expect(oneLine(' a\n\tb  c ')).toBe('a b c');
    expect(oneLine('x'.repeat(20), 10)).toBe('xxxxxxx...');
  });
});
