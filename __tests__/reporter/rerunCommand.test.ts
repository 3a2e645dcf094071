import { execFileSync } from 'node:child_process';
import { describe, expect, it } from '@jest/globals';
import { escapePathPattern, escapeRegExp, rerunCommand, shellQuote } from '../../reporter/rerunCommand';

/** The words a POSIX shell makes of `words` (run through `sh`, so quoting is tested for real). */
function shellWords(words: string): string[] {
  const output = execFileSync('sh', ['-c', `for word in ${words}; do printf '%s\\0' "$word"; done`], { encoding: 'utf8' });
  return output.split('\0').slice(0, -1);
}

/** The arguments `npx jest` would receive, and the variable assignment, from a rerun command. */
function parseRerun(command: string): { env: string; args: string[] } {
  const match = /^(MULTINODE_SEED=\S+) npx jest (.*)$/s.exec(command);
  if (match === null) throw new Error(`Not a rerun command: ${command}`);
  return { env: match[1], args: shellWords(match[2]) };
}

const TRICKY_NAMES = [
  'cluster forms a cluster',
  "it's a trap",
  'quotes \'single\' and "double"',
  'regex (a|b)* [x] {2} ^start$ end. + ? \\ /',
  'dollar $HOME and `backticks` and $(whoami)',
  'tab\there',
  "'''",
];

describe('escapeRegExp', () => {
  it.each(TRICKY_NAMES)('makes a pattern that matches %j exactly', (name) => {
    expect(new RegExp(`^${escapeRegExp(name)}$`, 'i').test(name)).toBe(true);
  });

  it('escapes metacharacters so that they do not match other text', () => {
    expect(new RegExp(escapeRegExp('a.c')).test('abc')).toBe(false);
    expect(new RegExp(escapeRegExp('(a|b)')).test('a')).toBe(false);
  });

  it('writes newlines as \\n so that the command stays on one line', () => {
    expect(escapeRegExp('two\nlines')).toBe('two\\nlines');
    expect(new RegExp(`^${escapeRegExp('two\nlines')}$`).test('two\nlines')).toBe(true);
  });
});

describe('shellQuote', () => {
  it('leaves safe words alone', () => {
    expect(shellQuote('__tests__/kv.test.ts')).toBe('__tests__/kv.test.ts');
  });

  it.each(TRICKY_NAMES)('quotes %j so that the shell gives it back unchanged', (word) => {
    expect(shellWords(shellQuote(word))).toEqual([word]);
  });

  it("writes an embedded single quote as '\\''", () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });
});

describe('escapePathPattern', () => {
  it('keeps dots and slashes readable and escapes other metacharacters', () => {
    expect(escapePathPattern('__tests__/kv.test.ts')).toBe('__tests__/kv.test.ts');
    expect(escapePathPattern('tests/(wip)/a+b.test.ts')).toBe('tests/\\(wip\\)/a\\+b.test.ts');
  });
});

describe('rerunCommand', () => {
  it('sets the seed, anchors the file at rootDir and anchors the escaped test name', () => {
    expect(rerunCommand({ seed: 42, relativePath: '__tests__/cluster.test.ts', fullName: 'cluster forms a cluster' })).toBe(
      "MULTINODE_SEED=42 npx jest './__tests__/cluster.test.ts$' -t '^cluster forms a cluster$'",
    );
  });

  it.each(TRICKY_NAMES)('gives Jest a -t pattern that selects exactly %j', (fullName) => {
    const { env, args } = parseRerun(rerunCommand({ seed: 7, relativePath: '__tests__/a b.test.ts', fullName }));
    expect(env).toBe('MULTINODE_SEED=7');
    expect(args[0]).toBe('./__tests__/a b.test.ts$');
    expect(args[1]).toBe('-t');
    const pattern = new RegExp(args[2], 'i');
    expect(pattern.test(fullName)).toBe(true);
    expect(pattern.test(`${fullName} again`)).toBe(false);
    expect(pattern.test(`outer ${fullName}`)).toBe(false);
  });

  it('passes the config on and selects the project by its displayName', () => {
    const { args } = parseRerun(rerunCommand({ seed: 1, relativePath: 't/a.test.ts', fullName: 'a', config: 'jest config.js', project: 'my app' }));
    expect(args).toEqual(['--config', 'jest config.js', '--selectProjects', 'my app', './t/a.test.ts$', '-t', '^a$']);
  });

  it("matches a project without a displayName by the file's path from the run's rootDir", () => {
    const { args } = parseRerun(rerunCommand({ seed: 1, relativePath: 't/a.test.ts', fullName: 'a', runRelativePath: 'packages/b/t/a.test.ts' }));
    expect(args).toEqual(['/packages/b/t/a.test.ts$', '-t', '^a$']);
  });
});
