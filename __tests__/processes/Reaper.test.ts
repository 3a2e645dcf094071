import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processAlive } from '../../src/processes';
import { livingChildren, until } from './helpers';

jest.setTimeout(60_000);

const PARENT = join(__dirname, 'fixtures', 'parent.ts');

it('kills every node process and its children when the process that started them is SIGKILLed', async () => {
  const dataRoot = mkdtempSync(join(tmpdir(), 'multinode-reaper-test-'));
  const parent = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', PARENT, dataRoot], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    let out = '';
    parent.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await until(() => out.includes('\n'), 'the parent to print the pids of its nodes', 40_000);
    const pids = JSON.parse(out) as { nodes: number[]; grandchildren: number[]; reaper: number };
    const all = [...pids.nodes, ...pids.grandchildren, pids.reaper];
    expect(all.every((pid) => Number.isInteger(pid) && processAlive(pid))).toBe(true);

    const exited = new Promise((resolve) => parent.once('exit', resolve));
    parent.kill('SIGKILL');
    await exited;

    await until(() => all.every((pid) => !processAlive(pid)), () => `every node, grandchild and the reaper to be gone (alive: ${all.filter(processAlive).join(', ')})`);
    expect(all.filter(processAlive)).toEqual([]);
  } finally {
    if (parent.exitCode === null && parent.signalCode === null) parent.kill('SIGKILL');
    rmSync(dataRoot, { recursive: true, force: true });
  }
  expect(livingChildren(process.pid)).toEqual([]);
});
