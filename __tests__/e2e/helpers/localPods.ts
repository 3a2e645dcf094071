import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as http from 'node:http';
import * as net from 'node:net';
import { descendantsOf } from '../../../examples/pods/postgres';

/**
 * Service processes started by hand the way processes mode starts a process-spec node: the command
 * in its own process group with MULTINODE_ROLE, MULTINODE_INCARNATION, MULTINODE_HOST and
 * MULTINODE_PORT set, ready once GET <readyPath> answers 2xx, killed with SIGKILL of the group.
 */
export interface PodSpec {
  readonly role: string;
  readonly command: readonly [string, ...string[]];
  readonly cwd: string;
  readonly host: string;
  readonly port: number;
  readonly incarnation: number;
  readonly env: Readonly<Record<string, string>>;
  readonly readyPath: string;
  readonly readyTimeoutMs: number;
}

/** A started pod process. */
export interface LocalPod {
  readonly spec: PodSpec;
  readonly url: string;
  readonly pid: number;
  output(): string;
  /** Resolves once the process has exited (and been reaped). */
  readonly exited: Promise<void>;
  /** SIGKILL to the whole process group; resolves once it has exited. */
  kill(): Promise<void>;
  /** `signal`, then SIGKILL of the group after `timeoutMs`; resolves once it has exited. */
  stop(signal: NodeJS.Signals, timeoutMs: number): Promise<void>;
}

/** An HTTP answer: status, headers and the body parsed as JSON when it is JSON. */
export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

const READY_POLL_MS = 50;

/** Starts the pod and resolves once it is ready; rejects with its output when it exits first or the deadline passes. */
export async function startPod(spec: PodSpec): Promise<LocalPod> {
  const [file, ...args] = spec.command;
  const env = { ...process.env, ...spec.env, MULTINODE_ROLE: spec.role, MULTINODE_INCARNATION: String(spec.incarnation), MULTINODE_HOST: spec.host, MULTINODE_PORT: String(spec.port) };
  const child = spawn(file, args, { cwd: spec.cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const url = `http://${spec.host}:${spec.port}`;
  const pod: LocalPod = {
    spec,
    url,
    pid: child.pid!,
    output: () => output,
    exited,
    kill: () => {
      killGroup(child, 'SIGKILL');
      return exited;
    },
    stop: async (signal, timeoutMs) => {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill(signal);
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + spec.readyTimeoutMs;
  let gone = false;
  void exited.then(() => (gone = true));
  for (;;) {
    if (gone) throw new Error(`${spec.role} (${spec.command.join(' ')}) exited with ${child.signalCode ?? `code ${child.exitCode}`} before ${spec.readyPath} answered; its output:\n${output}`);
    if (Date.now() > deadline) {
      await pod.kill();
      throw new Error(`${spec.role} (${spec.command.join(' ')}) did not answer 2xx on ${spec.readyPath} within ${spec.readyTimeoutMs} ms; its output:\n${output}`);
    }
    const status = await request(`${url}${spec.readyPath}`).then(
      (answer) => answer.status,
      () => 0,
    );
    if (status >= 200 && status < 300) return pod;
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
  }
}

/** One HTTP request on its own connection (no keep-alive agent, so no socket outlives it). */
export function request(url: string, options: { method?: string; headers?: Record<string, string>; json?: unknown; timeoutMs?: number } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = options.json === undefined ? undefined : JSON.stringify(options.json);
    const headers = { ...options.headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
    const req = http.request(url, { method: options.method ?? 'GET', headers, agent: false, timeout: options.timeoutMs ?? 5000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const isJson = (res.headers['content-type'] ?? '').includes('application/json');
        resolve({ status: res.statusCode!, headers: res.headers, body: isJson ? JSON.parse(text) : text });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${options.method ?? 'GET'} ${url} got no answer within ${options.timeoutMs ?? 5000} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** `count` distinct ports of 127.0.0.1 that nothing listens on right now. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<net.Server>((resolve, reject) => {
      const server = net.createServer().once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve(server));
    })),
  );
  const ports = servers.map((server) => (server.address() as net.AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

/** `pid` and every process below it. */
export function withDescendants(pid: number): number[] {
  return [pid, ...descendantsOf(spawnSync('ps', ['-A', '-o', 'pid=', '-o', 'ppid='], { encoding: 'utf8' }).stdout, pid)];
}

/**
 * Those of `pids` that are still running. A killed process whose parent died is a zombie until
 * init reaps it; it runs nothing, so it does not count.
 */
export function living(pids: readonly number[]): number[] {
  const ps = spawnSync('ps', ['-A', '-o', 'pid=', '-o', 'stat='], { encoding: 'utf8' });
  const running = new Set(
    ps.stdout
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter(([, stat]) => stat !== undefined && !stat.startsWith('Z'))
      .map(([pid]) => Number(pid)),
  );
  return pids.filter((pid) => running.has(pid));
}

/** Whether a process (or, for a negative id, a process group) still exists. */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // Gone already.
  }
}
