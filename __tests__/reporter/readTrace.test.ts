import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { TraceReadError } from '../../reporter/errors';
import { readTrace } from '../../reporter/readTrace';
import { FAILING_TRACE } from './fixtures/traces';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multinode-readtrace-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

function readError(file: string): TraceReadError {
  try {
    readTrace(file);
  } catch (error) {
    if (error instanceof TraceReadError) return error;
    throw error;
  }
  throw new Error('readTrace did not throw.');
}

describe('readTrace', () => {
  it('returns null when there is no trace file', () => {
    expect(readTrace(path.join(dir, 'absent.mntrace'))).toBeNull();
  });

  it('reads a trace written as JSON', () => {
    const file = write('ok.mntrace', JSON.stringify(FAILING_TRACE));
    expect(readTrace(file)).toEqual(FAILING_TRACE);
  });

  it('rejects a file that is not JSON, naming the file', () => {
    const file = write('cut.mntrace', '{"version": 1, "tes');
    const error = readError(file);
    expect(error.code).toBe('TRACE_UNREADABLE');
    expect(error.tracePath).toBe(file);
    expect(error.message).toMatch(new RegExp(`^The trace file ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not valid JSON`));
  });

  it('rejects another format version and says what to do', () => {
    const file = write('v1.mntrace', JSON.stringify({ ...FAILING_TRACE, version: 1 }));
    expect(readError(file).message).toMatch(
      /has format version 1, but this reporter reads version 2; install the environment and the reporter from the same version/,
    );
  });

  it('names the fields that are missing or of the wrong type', () => {
    const { events: _events, ...withoutEvents } = FAILING_TRACE;
    const file = write('shape.mntrace', JSON.stringify({ ...withoutEvents, seed: '42' }));
    expect(readError(file).message).toMatch(/lacks or has a wrong type for 'seed' \(expected a number\), 'events' \(expected an array\)\.$/);
  });

  it('rejects JSON that is not an object', () => {
    expect(readError(write('array.mntrace', '[]')).message).toMatch(/does not hold a JSON object/);
  });
});
