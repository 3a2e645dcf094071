import { describe, expect, it } from '@jest/globals';
import { codeFrame, userFrame } from '../../reporter/codeFrame';

const STACK = [
  'Error: expect(received).toBe(expected)',
  '    at expectSomething (<jest-environment-multinode>/dist/environment/globals.js:10:3)',
  '    at helper (node_modules/some-lib/index.js:4:1)',
  '    at new Promise (<anonymous>)',
  '    at Object.<anonymous> (__tests__/kv test.test.ts:4:12)',
  '    at __tests__/later.ts:1:1',
].join('\n');

describe('userFrame', () => {
  it("skips this package's frames, node_modules and frames without a place, and keeps paths with spaces", () => {
    expect(userFrame(STACK)).toEqual({ file: '__tests__/kv test.test.ts', line: 4, column: 12 });
  });

  it('reads a frame without a function name', () => {
    expect(userFrame('Error: x\n    at __tests__/a.test.ts:7:9')).toEqual({ file: '__tests__/a.test.ts', line: 7, column: 9 });
  });

  it('finds nothing in a stack with no frame of the test code, or no stack', () => {
    expect(userFrame('Error: x\n    at run (node:internal/process/task_queues:95:5)')).toBeNull();
    expect(userFrame(undefined)).toBeNull();
  });
});

describe('codeFrame', () => {
  const source = ['a', 'b', '', "\texpect(x).toBe('y');", 'e', 'f', 'g'].join('\n');

  it('shows two lines either side, the failing one marked and its column pointed at (tabs kept)', () => {
    expect(codeFrame(STACK, () => source)).toEqual({
      location: '__tests__/kv test.test.ts:4:12',
      lines: ['  2 | b', '  3 |', "> 4 | \texpect(x).toBe('y');", '    | \t          ^', '  5 | e', '  6 | f'],
    });
  });

  it('is null when the source cannot be read or has no such line', () => {
    expect(codeFrame(STACK, () => null)).toBeNull();
    expect(codeFrame(STACK, () => 'one line')).toBeNull();
    expect(codeFrame(undefined, () => source)).toBeNull();
  });

  it('asks for the file by the path the stack names', () => {
    const asked: string[] = [];
    codeFrame(STACK, (file) => {
      asked.push(file);
      return null;
    });
    expect(asked).toEqual(['__tests__/kv test.test.ts']);
  });
});
