import * as fs from 'node:fs';
import * as path from 'node:path';
import { documentationFiles, fencedBlocks, type FencedBlock } from './helpers/docExamples';
import { createPackedProject, type PackedProject } from './helpers/packedProject';
import { PROJECT_ROOT } from './helpers/runJest';

/**
 * Every code example of README.md and docs/*.md runs, as a user would run it: the project is
 * installed from the packed tarball with exactly the packages the README's install line names, each
 * block marked `<!-- example: <file> -->` is written to that file in a folder per document
 * (`readme/`, `api/`, ...), with what the examples leave to the reader (docs-examples/), and real
 * Jest runs in each folder with that folder's own jest.config.ts example; every test file passes.
 */
const SUPPORT = path.join(__dirname, 'docs-examples');
const DOCS = documentationFiles(PROJECT_ROOT);
const BLOCKS = DOCS.flatMap((doc) => fencedBlocks(PROJECT_ROOT, doc));
const INSTALL_LINE = /^npm install --save-dev ([^#\n]+)/;

/** The blocks that are deliberately not run, by document and the start of their first line, and why. */
const NOT_RUN: ReadonlyArray<{ doc: string; startsWith: string; why: string }> = [
  { doc: 'README.md', startsWith: 'npm ci && npm run demo', why: "this repository's own commands on a fresh clone; .ci/run runs `npm ci && npm test` (a test cannot run the suite it is part of)" },
  { doc: 'README.md', startsWith: 'npm install --save-dev', why: 'a shell line: the project is installed with exactly the packages it names instead' },
  { doc: 'README.md', startsWith: 'npx jest-multinode explore --seeds', why: 'runs Jest once per seed for minutes, with sample output; explore.e2e.test.ts runs the command on a fixture with a planted race' },
  { doc: 'README.md', startsWith: '  ✕ kv › replicates a delete', why: "sample output of the reporter on the fixture broken/, not code (that output is tested by firstscreen.e2e.test.ts and reporter.e2e.test.ts)" },
  { doc: 'README.md', startsWith: 'multinode ▸ slow.test.ts', why: 'sample output of live progress on the fixture progress/, tested at a pseudo-terminal by progress.e2e.test.ts' },
  { doc: 'docs/API.md', startsWith: 'npm install --save-dev', why: "a shell line: it must be the README's, which is run" },
  { doc: 'docs/API.md', startsWith: 'multinode.role: string', why: 'a listing of signatures, not a program (the typings themselves are type-checked by pack.e2e.test.ts)' },
  { doc: 'docs/benchmarks.md', startsWith: 'npm run bench', why: 'runs the benchmarks for minutes and asserts nothing' },
  { doc: 'docs/benchmarks.md', startsWith: 'jest-environment-multinode benchmarks:', why: 'sample output of the benchmarks' },
  { doc: 'docs/benchmarks.md', startsWith: '| Cluster sharding, thread per node', why: 'sample output of the sharding benchmark (`node bench/run.js --only=sharding`)' },
  { doc: 'docs/benchmarks.md', startsWith: 'npm run build && node bench/run.js --only=harness,suite,links', why: 'runs the harness, suite and link benchmarks for minutes and asserts nothing' },
  { doc: 'docs/benchmarks.md', startsWith: 'npm run build && node bench/run.js --only=timeline', why: 'runs the timeline benchmark in headless Chromium and asserts nothing' },
  { doc: 'docs/benchmarks.md', startsWith: '| **Process node, minimal node HTTP server', why: 'sample output of the process node benchmark (`node bench/run.js --only=processNode`)' },
  { doc: 'docs/benchmarks.md', startsWith: '| **Fault proxy (processes mode)', why: 'sample output of the fault proxy benchmark (`node bench/run.js --only=proxy`)' },
  { doc: 'docs/scale-out.md', startsWith: 'npx jest --ci --shard=2/3', why: 'one shard of a suite on one CI machine; shard.e2e.test.ts runs every shard of a fixture with --shard and checks that each file ran once, in one shard, with its merged verdicts' },
  { doc: 'docs/scale-out.md', startsWith: 'name: multinode', why: 'a GitHub Actions workflow, run by GitHub, not here; the --shard split it uses is tested by shard.e2e.test.ts' },
  { doc: 'docs/scale-out.md', startsWith: 'interface NodeLauncher {', why: 'a listing of the launcher seam of a plan for several hosts, not a program' },
];

const notRun = (block: FencedBlock): (typeof NOT_RUN)[number] | undefined =>
  NOT_RUN.find((entry) => entry.doc === block.doc && block.text.startsWith(entry.startsWith));
const folderOf = (doc: string): string => path.basename(doc, '.md').toLowerCase();
const examples = BLOCKS.filter((block) => block.exampleFile !== undefined);
const foldersWithExamples = [...new Set(examples.map((block) => folderOf(block.doc)))];

/** The packages of the README's install line (API.md's must be the same line). */
function installedPackages(): string[] {
  const lines = BLOCKS.filter((block) => INSTALL_LINE.test(block.text));
  const readme = lines.find((block) => block.doc === 'README.md');
  if (readme === undefined) throw new Error(`README.md has no \`npm install --save-dev\` line; the docs have ${JSON.stringify(lines.map((b) => b.text))}.`);
  for (const other of lines) expect(`${other.doc}: ${other.text.trim()}`).toBe(`${other.doc}: ${readme.text.trim()}`);
  return INSTALL_LINE.exec(readme.text)![1]!.trim().split(/\s+/);
}

it('marks every code block of the README and docs as a runnable example, or says here why it is not run', () => {
  const unaccounted = BLOCKS.filter((block) => block.exampleFile === undefined && notRun(block) === undefined);
  expect(unaccounted.map((block) => `${block.doc}:${block.line} (\`\`\`${block.lang}) ${block.text.split('\n')[0]}`)).toEqual([]);
  const stale = NOT_RUN.filter((entry) => !BLOCKS.some((block) => block.exampleFile === undefined && notRun(block) === entry));
  expect(stale).toEqual([]);
});

describe('the examples, on the packed tarball', () => {
  let project: PackedProject;

  beforeAll(() => {
    const packages = installedPackages();
    expect(packages).toContain('jest-environment-multinode');
    project = createPackedProject(undefined, packages.filter((name) => name !== 'jest-environment-multinode'));
    // "Add jest-environment-multinode to compilerOptions.types in tsconfig.json": the consumer's.
    fs.copyFileSync(path.join(__dirname, 'consumer', 'tsconfig.json'), path.join(project.dir, 'tsconfig.json'));
    for (const block of examples) {
      const file = path.join(project.dir, folderOf(block.doc), block.exampleFile!);
      if (fs.existsSync(file)) throw new Error(`${block.doc}:${block.line} writes ${block.exampleFile}, which an earlier example of that document already wrote.`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, block.text);
    }
    for (const folder of foldersWithExamples) {
      addSupport(path.join(SUPPORT, 'shared'), path.join(project.dir, folder));
      if (fs.existsSync(path.join(SUPPORT, folder))) addSupport(path.join(SUPPORT, folder), path.join(project.dir, folder));
    }
    // The node API.md's docblock names: the consumer project's.
    fs.copyFileSync(path.join(__dirname, 'consumer', 'kv-node.ts'), path.join(project.dir, 'api', 'kv-node.ts'));
  }, 300_000);

  afterAll(() => project?.remove());

  it('type-checks every example with skipLibCheck off', () => {
    project.typeCheck('tsconfig.json');
  }, 120_000);

  it.each(foldersWithExamples)('%s: the examples pass through real Jest with their own jest.config.ts', (folder) => {
    const run = project.runJest([], { cwd: path.join(project.dir, folder) });
    const results = run.json.testResults.map((file) => `${path.relative(path.join(project.dir, folder), file.name)}: ${file.status}`).sort();
    const testFiles = fs.readdirSync(path.join(project.dir, folder), { recursive: true }) as string[];
    // The reporter's folder of a failed run holds a directory per test file, named like it.
    const expected = testFiles.filter((file) => file.endsWith('.test.ts') && !file.startsWith('multinode-report')).map((file) => `${file}: passed`).sort();
    if (run.exitCode !== 0 || JSON.stringify(results) !== JSON.stringify(expected)) {
      throw new Error(`Jest in ${folder}/ (exit ${run.exitCode}) gave ${JSON.stringify(results)}, expected ${JSON.stringify(expected)}:\n${run.output.slice(-6000)}`);
    }
  }, 300_000);
});

/** Copies every file of `from` into `to`, appending it to a file an example already wrote there. */
function addSupport(from: string, to: string): void {
  for (const name of fs.readdirSync(from)) {
    const target = path.join(to, name);
    fs.appendFileSync(target, fs.readFileSync(path.join(from, name)));
  }
}
