import { describe, expect, it } from '@jest/globals';
import { excerpt, formatDuration, formatOffset, offsetMs, stripAnsi } from '../../reporter/format';

describe('formatDuration', () => {
  it.each([
    [0.25, '0.3 ms'],
    [3.5, '3.5 ms'],
    [120.4, '120 ms'],
    [1234, '1.23 s'],
    [31_000, '31.00 s'],
    [125_000, '2 min 5 s'],
  ])('shows %p ms as %p', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('formatOffset', () => {
  it('pads offsets so that a column of them lines up', () => {
    expect(formatOffset(12.34)).toBe('+  12.3 ms');
    expect(formatOffset(0)).toBe('+   0.0 ms');
    expect(formatOffset(-0.4)).toBe('-   0.4 ms');
    expect(formatOffset(1234.5)).toBe('+1234.5 ms');
  });
});

describe('offsetMs', () => {
  it('rounds away the float noise of epoch-millisecond differences', () => {
    const start = 1_700_000_000_100;
    expect(offsetMs(start + 80.1, start)).toBe(80.1);
  });
});

describe('excerpt', () => {
  it('keeps the first non-empty lines without ANSI codes and counts the rest', () => {
    expect(excerpt('\u001b[31mfirst\u001b[39m\n\n second  \nthird\nfourth', 2)).toEqual(['first', ' second', '… 2 more lines']);
  });

  it("keeps a long diff's changed lines, with a line of context, and counts what it left out", () => {
    const expected = Array.from({ length: 20 }, (_, i) => `    "line ${i}",`);
    const diff = ['expect(received).toEqual(expected)', '- Expected  - 1', '+ Received  + 1', '  Array ['];
    const body = [...expected.slice(0, 15), '-   "line 15",', '+   "changed",', ...expected.slice(16), '  ]'];
    expect(excerpt([...diff, ...body].join('\n'), 4)).toEqual([
      ...diff,
      '… 14 more lines',
      '    "line 14",',
      '-   "line 15",',
      '+   "changed",',
      '    "line 16",',
      '… 4 more lines',
    ]);
  });

  it('leaves out stack frames', () => {
    expect(excerpt('boom\n    at fn (a.ts:1:2)\n    at other (b.ts:3:4)', 4)).toEqual(['boom']);
  });

  it('shortens long lines', () => {
    expect(excerpt('x'.repeat(300), 1, 10)).toEqual([`${'x'.repeat(9)}…`]);
  });

  it('says so when a message is empty', () => {
    expect(excerpt('', 3)).toEqual(['(empty message)']);
  });
});

describe('stripAnsi', () => {
  it('removes colour sequences', () => {
    expect(stripAnsi('\u001b[1m\u001b[31mred\u001b[39m\u001b[22m')).toBe('red');
  });
});
