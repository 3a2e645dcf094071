import * as fs from 'node:fs';
import * as path from 'node:path';

/** One fenced code block of a markdown file. */
export interface FencedBlock {
  /** The markdown file, relative to the repository. */
  readonly doc: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The fence's info string (`ts`, `sh`, or empty). */
  readonly lang: string;
  /** The block's text, its fence's indentation removed, ending with a newline. */
  readonly text: string;
  /** From a `<!-- example: <file> -->` comment right before the block: the file it is written to. */
  readonly exampleFile?: string;
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)/;
const MARKER = /^<!--\s*example:\s*(\S+)\s*-->$/;

/**
 * Every fenced code block of `file` (a path relative to `root`), in order. A block is marked as a
 * runnable example by an HTML comment on the nearest non-blank line before its fence:
 * `<!-- example: jest.config.ts -->`; GitHub does not render the comment.
 */
export function fencedBlocks(root: string, file: string): FencedBlock[] {
  const lines = fs.readFileSync(path.join(root, file), 'utf8').split('\n');
  const blocks: FencedBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) continue;
    const [, indent, fence, lang] = open;
    let previous = i - 1;
    while (previous >= 0 && lines[previous]!.trim() === '') previous--;
    const marker = previous >= 0 ? MARKER.exec(lines[previous]!.trim()) : null;
    const closes = (line: string): boolean => {
      const trimmed = line.trim();
      return trimmed.length >= fence!.length && trimmed === fence![0]!.repeat(trimmed.length);
    };
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !closes(lines[j]!); j++) body.push(lines[j]!.startsWith(indent!) ? lines[j]!.slice(indent!.length) : lines[j]!.trimStart());
    if (j === lines.length) throw new Error(`${file}:${i + 1}: the code block opened here is never closed.`);
    blocks.push({ doc: file, line: i + 1, lang: lang!, text: body.join('\n') + '\n', ...(marker ? { exampleFile: marker[1]! } : {}) });
    i = j;
  }
  return blocks;
}

/** README.md and every markdown file under docs/, relative to `root`. */
export function documentationFiles(root: string): string[] {
  const docs = fs.readdirSync(path.join(root, 'docs')).filter((f) => f.endsWith('.md')).sort();
  return ['README.md', ...docs.map((f) => `docs/${f}`)];
}
