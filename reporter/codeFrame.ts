import type { CodeFrame } from './model';

/** Reads a source file named as trace stacks name it (relative to `rootDir`, `/` separators); null when it cannot. */
export type SourceReader = (relativePath: string) => string | null;

/** A position in a source file, from a stack frame. */
export interface SourcePosition {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
}

// `    at fn (file.ts:12:5)` or `    at file.ts:12:5`: the location is the last `path:line:column`.
const FRAME = /^\s*at (?:.*? \()?(.+?):(\d+):(\d+)\)?$/;

/** How many source lines a code frame shows before and after the failing line (Jest shows about as many). */
const CONTEXT_LINES = 2;

/**
 * The first frame of `stack` in the user's own code: not in `node_modules`, not in this package
 * (trace stacks name it `<jest-environment-multinode>/…`) and not in Node's internals. Null when
 * the stack has none, as for errors made by the harness outside a test's code.
 */
export function userFrame(stack: string | undefined): SourcePosition | null {
  for (const text of (stack ?? '').split('\n')) {
    const match = FRAME.exec(text);
    if (match === null) continue;
    const file = match[1];
    if (file.includes('node_modules/') || file.startsWith('<') || file.startsWith('node:') || file.startsWith('internal/')) continue;
    return { file, line: Number(match[2]), column: Number(match[3]) };
  }
  return null;
}

/**
 * The code frame of an error's stack, as Jest prints one: the lines around the failing line, that
 * line marked with `>` and its column with `^`. Null when the stack has no frame in the user's code
 * or the source cannot be read or does not have that line.
 */
export function codeFrame(stack: string | undefined, readSource: SourceReader): CodeFrame | null {
  const position = userFrame(stack);
  if (position === null) return null;
  const source = readSource(position.file);
  if (source === null) return null;
  const lines = source.split(/\r?\n/);
  if (position.line < 1 || position.line > lines.length) return null;
  const first = Math.max(1, position.line - CONTEXT_LINES);
  const last = Math.min(lines.length, position.line + CONTEXT_LINES);
  const width = String(last).length;
  const shown: string[] = [];
  for (let number = first; number <= last; number++) {
    const text = lines[number - 1].trimEnd();
    const gutter = `${number === position.line ? '>' : ' '} ${String(number).padStart(width)} |`;
    shown.push(text === '' ? gutter : `${gutter} ${text}`);
    if (number === position.line) {
      const indent = lines[number - 1].slice(0, Math.max(0, position.column - 1)).replace(/[^\t]/g, ' ');
      shown.push(`  ${' '.repeat(width)} | ${indent}^`);
    }
  }
  return { location: `${position.file}:${position.line}:${position.column}`, lines: shown };
}
