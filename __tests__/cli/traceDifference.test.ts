import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { traceDifference, traceFilesUnder } from '../../src/cli';

let root: string;
let first: string;
let second: string;
const write = (dir: string, file: string, text: string): void => {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), text);
};

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'trace-difference-'));
  first = path.join(root, 'first');
  second = path.join(root, 'second');
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe('traceFilesUnder', () => {
  it('lists the trace files at any depth, relative and sorted, and nothing else', () => {
    write(first, 'b.test.ts.mntrace', '{}');
    write(first, 'unit/a.test.ts.mntrace', '{}');
    write(first, 'notes.json', '{}');
    expect(traceFilesUnder(first)).toEqual(['b.test.ts.mntrace', 'unit/a.test.ts.mntrace']);
    expect(traceFilesUnder(path.join(root, 'missing'))).toEqual([]);
  });
});

describe('traceDifference', () => {
  it('finds none when every trace is byte for byte the same', () => {
    for (const dir of [first, second]) {
      write(dir, 'a.test.ts.mntrace', '{"seed":1}');
      write(dir, 'p/b.test.ts.mntrace', '{"seed":1,"x":2}');
    }
    expect(traceDifference(first, second)).toBeNull();
  });

  it('names the first trace that differs', () => {
    for (const dir of [first, second]) write(dir, 'a.test.ts.mntrace', 'same');
    write(first, 'b.test.ts.mntrace', '{"at":1}');
    write(second, 'b.test.ts.mntrace', '{"at":2}');
    write(first, 'c.test.ts.mntrace', '1');
    write(second, 'c.test.ts.mntrace', '2');
    expect(traceDifference(first, second)).toBe('the trace b.test.ts.mntrace differs between two runs');
  });

  it('names a trace that only one run wrote', () => {
    write(first, 'a.test.ts.mntrace', 'same');
    write(second, 'a.test.ts.mntrace', 'same');
    write(second, 'b.test.ts.mntrace', 'x');
    expect(traceDifference(first, second)).toBe('only the second run wrote the trace b.test.ts.mntrace');
    expect(traceDifference(second, first)).toBe('only the first run wrote the trace b.test.ts.mntrace');
  });

  it('counts runs without any trace as a difference: there was nothing to compare', () => {
    expect(traceDifference(first, second)).toContain('neither run wrote a trace file (.mntrace), so there is nothing to compare');
  });
});
