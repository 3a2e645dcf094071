import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { CONTROL_ADDRESS_ENV, CONTROL_TOKEN_ENV, type ProcessNodeExit } from '../../src/processes';
import { FrameDecoder } from '../../src/processes/frames';
import { listenEphemeralLoopback } from '../../src/processes/ephemeralLoopback';
import { ENTRY_MODULE, ioResources, kvCluster, requireBuild, type KvCluster } from './helpers/nodeProcesses';

jest.setTimeout(60_000);

/** Resolves with the exit of `child`, or rejects after `timeoutMs`. */
function exitOf(child: ChildProcess, timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`The node process did not exit within ${timeoutMs} ms.`));
    }, timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

describe('the node process entry', () => {
  let resourcesBefore: string[] = [];

  beforeAll(requireBuild);

  beforeEach(async () => {
    resourcesBefore = await ioResources();
  });

  afterEach(async () => {
    expect(await ioResources()).toEqual(resourcesBefore);
  });

  it('exits by itself when its control connection closes, so it never outlives the harness', async () => {
    const { server, address } = await listenEphemeralLoopback();
    const accepted = new Promise<{ socket: Socket; hello: unknown }>((resolve) => {
      server.removeAllListeners('connection');
      server.on('connection', (socket: Socket) => {
        const decoder = new FrameDecoder();
        socket.on('data', (chunk: Buffer) => {
          const [hello] = decoder.push(chunk);
          if (hello !== undefined) resolve({ socket, hello });
        });
      });
    });
    const child = spawn(process.execPath, [ENTRY_MODULE], {
      env: { ...process.env, [CONTROL_ADDRESS_ENV]: `${address.host}:${address.port}`, [CONTROL_TOKEN_ENV]: 'the-token' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = exitOf(child, 20_000);
    try {
      const { socket, hello } = await accepted;
      expect(hello).toMatchObject({ type: 'hello', token: 'the-token', pid: child.pid, link: { host: '127.0.0.1', port: expect.any(Number) } });
      socket.destroy();
      expect(await exited).toEqual({ code: 0, signal: null });
    } finally {
      child.kill('SIGKILL');
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('exits at once with a clear message when started without a control address and token', async () => {
    const env = { ...process.env };
    delete env[CONTROL_ADDRESS_ENV];
    delete env[CONTROL_TOKEN_ENV];
    const child = spawn(process.execPath, [ENTRY_MODULE], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const closed = new Promise((resolve) => child.once('close', resolve));
    expect(await exitOf(child, 20_000)).toEqual({ code: 78, signal: null });
    await closed;
    expect(stderr).toContain(`A node process needs ${CONTROL_ADDRESS_ENV}`);
  });

  describe('started with a wrong token', () => {
    let cluster: KvCluster | null = null;

    afterEach(async () => {
      await cluster?.group.close();
      expect(cluster?.recorder.leftovers()).toEqual([]);
      cluster = null;
    });

    it('is refused, logged, and exits; the start fails naming the role', async () => {
      // What a stray or forged process would present: another token.
      cluster = await kvCluster(['a'], { alterSpec: (spec) => ({ ...spec, env: { ...spec.env, [CONTROL_TOKEN_ENV]: 'forged' } }) });
      const a = cluster.group.client('a');
      const refusals: string[] = [];
      const exits: ProcessNodeExit[] = [];
      a.onRefused((reason) => refusals.push(reason));
      a.onExit((exit) => exits.push(exit));
      await expect(a.start(0)).rejects.toThrow(/The node process of role 'a' \(incarnation 0, pid \d+\) exited \(exit code 0\)/);
      expect(refusals).toEqual([expect.stringContaining(`it presented a wrong token (process ${cluster.recorder.pids[0]})`)]);
      expect(cluster.logs.map((l) => l.level)).toEqual(['warn']);
      expect(exits).toEqual([]);
    });
  });
});
