import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { RoleThreadPool, type RoleThread, type RoleWorkerData } from '../../src/harness';
import { systemClock } from '../../src/util';

/**
 * The pool with real worker threads running a stand-in for the role thread: it answers a file by the
 * role's name ('ok' says idle, 'silent' says nothing, 'retires' says idle and then retires) and sends
 * its threadId on the file's control port.
 */
const SCRIPT = `
const { parentPort, threadId } = require('node:worker_threads');
parentPort.on('message', ({ data }) => {
  data.control.postMessage(threadId);
  data.control.close();
  if (data.role === 'ok') parentPort.postMessage({ type: 'idle' });
  if (data.role === 'retires') {
    parentPort.postMessage({ type: 'idle' });
    setTimeout(() => { parentPort.postMessage({ type: 'retiring', reason: 'test' }); process.exit(0); }, 20);
  }
});
`;

let dir: string;
let script: string;
const pool = new RoleThreadPool();
const settle = { clock: systemClock, timeoutMs: 2000, keepIdle: 4 };
const small = { heapMb: 128, youngGenerationMb: 4 };

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'multinode-pool-'));
  script = path.join(dir, 'thread.js');
  fs.writeFileSync(script, SCRIPT);
});

afterEach(() => pool.drain());

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Gives `thread` a file of `role` and resolves with the thread id it reports. */
function run(thread: RoleThread, role: string): Promise<number> {
  const control = new MessageChannel();
  const reported = new Promise<number>((resolve) => control.port1.once('message', resolve));
  thread.run({ role, control: control.port2 } as unknown as RoleWorkerData, [control.port2], () => undefined);
  return reported.finally(() => control.port1.close());
}

it('gives a later file the thread an earlier file released, for the same script and heap limit', async () => {
  const first = pool.acquire(script, small);
  expect(first.warm).toBe(false);
  const id = await run(first.thread, 'ok');
  await pool.release(first.thread, settle);
  expect(pool.idleCount).toBe(1);

  const second = pool.acquire(script, small);
  expect(second.warm).toBe(true);
  expect(await run(second.thread, 'ok')).toBe(id);
  expect(second.thread.files).toBe(2);
  // Another heap limit needs another thread.
  const other = pool.acquire(script, { ...small, heapMb: 256 });
  expect(other.warm).toBe(false);
  expect(await run(other.thread, 'ok')).not.toBe(id);
  await Promise.all([pool.release(second.thread, settle), pool.release(other.thread, settle)]);
  expect(pool.idleCount).toBe(2);
});

it('ends a released thread when the file keeps no idle thread, or when the pool holds keepIdle already', async () => {
  const one = pool.acquire(script, small).thread;
  const two = pool.acquire(script, small).thread;
  await Promise.all([run(one, 'ok'), run(two, 'ok')]);
  await pool.release(one, { ...settle, keepIdle: 0 });
  expect(one.alive).toBe(false);
  await pool.release(two, { ...settle, keepIdle: 1 });
  expect(pool.idleCount).toBe(1);
  const three = pool.acquire(script, small).thread;
  const four = pool.acquire(script, small).thread;
  await Promise.all([run(three, 'ok'), run(four, 'ok')]);
  await Promise.all([pool.release(three, { ...settle, keepIdle: 1 }), pool.release(four, { ...settle, keepIdle: 1 })]);
  expect(pool.idleCount).toBe(1);
  expect([three.alive, four.alive].filter(Boolean)).toHaveLength(1);
});

it('ends a thread that does not say it is idle within the deadline', async () => {
  const { thread } = pool.acquire(script, small);
  await run(thread, 'silent');
  const started = Date.now();
  await pool.release(thread, { ...settle, timeoutMs: 100 });
  expect(Date.now() - started).toBeGreaterThanOrEqual(90);
  expect(thread.alive).toBe(false);
  expect(pool.idleCount).toBe(0);
});

it('forgets an idle thread that retires', async () => {
  const { thread } = pool.acquire(script, small);
  await run(thread, 'retires');
  await pool.release(thread, settle);
  expect(pool.idleCount).toBe(1);
  await new Promise<void>((resolve) => {
    const poll = setInterval(() => {
      if (!thread.alive) {
        clearInterval(poll);
        resolve();
      }
    }, 5);
  });
  expect(pool.idleCount).toBe(0);
  const fresh = pool.acquire(script, small);
  expect(fresh.warm).toBe(false);
  await fresh.thread.terminate();
});
