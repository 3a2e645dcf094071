import * as path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { relativeTestPath, serializeTrace, TRACE_FILE_EXTENSION, traceFilePath, traceProjectFolder } from '../../src/harness/traceFile';
import type { FileTrace } from '../../src/harness/traceTypes';

const root = path.join(path.sep, 'repo');
const project = { rootDir: root, id: '0123456789abcdef' };

describe('traceFilePath', () => {
  it('flattens the path from rootDir and uses an extension Jest does not watch', () => {
    expect(traceFilePath('/out', { projects: [] }, project, path.join(root, 'test', 'kv.test.ts'))).toBe(path.join('/out', 'test__kv.test.ts.mntrace'));
    expect(['js', 'mjs', 'cjs', 'jsx', 'ts', 'mts', 'cts', 'tsx', 'json', 'node'].map((e) => `.${e}`)).not.toContain(TRACE_FILE_EXTENSION);
  });

  it("puts each project's traces in its own folder when the run has several projects", () => {
    const run = { projects: ['a', 'b'] };
    const file = path.join(root, 'kv.test.ts');
    expect(traceFilePath('/out', run, { ...project, displayName: { name: 'my app' } }, file)).toBe(path.join('/out', 'my_app', 'kv.test.ts.mntrace'));
    expect(traceFilePath('/out', run, project, file)).toBe(path.join('/out', 'project-01234567', 'kv.test.ts.mntrace'));
  });
});

describe('traceProjectFolder', () => {
  it('is null in a run of one project, named or not', () => {
    expect(traceProjectFolder({ projects: ['a'] }, { ...project, displayName: { name: 'app' } })).toBeNull();
    expect(traceProjectFolder({}, project)).toBeNull();
  });
});

describe('relativeTestPath', () => {
  it('is the path from rootDir with / separators, or the base name for rootDir itself', () => {
    expect(relativeTestPath(root, path.join(root, 'test', 'kv.test.ts'))).toBe('test/kv.test.ts');
    expect(relativeTestPath(root, root)).toBe('repo');
  });
});

describe('serializeTrace', () => {
  it('keeps no absolute path of this machine: rootDir and the package folder are made neutral', () => {
    const packageRoot = path.resolve(__dirname, '..', '..');
    const stack = [
      `Error: boom`,
      `    at Object.<anonymous> (${path.join(root, 'test', 'kv.test.ts')}:5:11)`,
      `    at run (file://${path.join(root, 'src', 'node.mjs')}:1:2)`,
      `    at send (${path.join(packageRoot, 'dist', 'src', 'harness', 'LinkEndpoint.js')}:40:7)`,
      `    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)`,
    ].join('\n');
    const trace = { version: 2, testPath: 'test/kv.test.ts', roleErrors: [{ role: 'b', error: { message: 'boom', stack } }] } as unknown as FileTrace;
    const text = serializeTrace(trace, root);
    expect(text).not.toContain(root + path.sep);
    expect(text).not.toContain(packageRoot + path.sep);
    expect(JSON.parse(text).roleErrors[0].error.stack.split('\n')).toEqual([
      'Error: boom',
      '    at Object.<anonymous> (test/kv.test.ts:5:11)',
      '    at run (src/node.mjs:1:2)',
      '    at send (<jest-environment-multinode>/dist/src/harness/LinkEndpoint.js:40:7)',
      '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
    ]);
  });
});
