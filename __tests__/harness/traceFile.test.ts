import * as path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { TRACE_FILE_EXTENSION, traceFilePath, traceProjectFolder } from '../../src/harness/traceFile';

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
