import * as path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { configArgument, rerunSelection, runScope } from '../../reporter/rerunScope';

describe('configArgument', () => {
  it.each([
    [['--config', 'a.js'], 'a.js'],
    [['--config=a.js'], 'a.js'],
    [['-c', 'a.js', 'x.test.ts'], 'a.js'],
    [['-c=a.js'], 'a.js'],
    [['--watch', 'x.test.ts'], null],
    [['--', '--config', 'a.js'], null],
  ])('reads %j as %j', (argv, expected) => {
    expect(configArgument(argv)).toBe(expected);
  });
});

describe('rerunSelection', () => {
  const root = path.join(path.sep, 'repo');
  const single = runScope({ rootDir: root, projects: [] }, ['--config', 'jest.config.js']);
  const multi = runScope({ rootDir: root, projects: ['a', 'b'] }, []);
  const file = path.join(root, 'packages', 'b', 't', 'a.test.ts');

  it('selects nothing but the config in a run of one project', () => {
    expect(rerunSelection(single, { rootDir: root, displayName: { name: 'app' } }, file)).toEqual({ config: 'jest.config.js' });
  });

  it('selects a named project with --selectProjects', () => {
    expect(rerunSelection(multi, { rootDir: path.join(root, 'packages', 'b'), displayName: { name: 'b' } }, file)).toEqual({ config: null, project: 'b' });
  });

  it("selects an unnamed project by the file's path from the run's rootDir", () => {
    expect(rerunSelection(multi, { rootDir: path.join(root, 'packages', 'b') }, file)).toEqual({ config: null, runRelativePath: 'packages/b/t/a.test.ts' });
  });

  it("keeps the rootDir-anchored path for an unnamed project at the run's rootDir", () => {
    expect(rerunSelection(multi, { rootDir: root }, file)).toEqual({ config: null, runRelativePath: null });
  });
});
