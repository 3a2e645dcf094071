/**
 * A throwaway PostgreSQL server for a test run: `initdb` in a fresh temporary directory, `postgres`
 * on a free port of 127.0.0.1 (no Unix socket, password authentication with a password made for
 * this run), and `stop()` that shuts it down and removes the directory, leaving no process behind.
 *
 * It uses the PostgreSQL installed on the machine (Debian: `apt-get install postgresql`, whose
 * programs live in /usr/lib/postgresql/<version>/bin; elsewhere: on PATH). PostgreSQL refuses to
 * run as root, so as root the server runs as the `postgres` user the Debian package creates (or
 * `nobody` when there is none). The server runs under a small watchdog (postgresWatchdog.js) that
 * ends it and removes its directory when this process dies without stopping it.
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

/** How to start the server. */
export interface PostgresOptions {
  /** The folder holding `initdb` and `postgres`; default: PATH, then the newest /usr/lib/postgresql/<version>/bin. */
  readonly binDir?: string;
  /** How long `initdb` and the start together may take, in milliseconds (default 60000). */
  readonly startTimeoutMs?: number;
  /** How long a fast shutdown may take before every process of the server is killed, in milliseconds (default 10000). */
  readonly stopTimeoutMs?: number;
  /** Server settings passed as `-c name=value`, over the defaults (which trade durability for speed). */
  readonly settings?: Readonly<Record<string, string>>;
  /** Where the temporary directory is made (default: the system's, `os.tmpdir()`). */
  readonly parentDir?: string;
}

/** A running server; `stop()` it once done (it is safe to call twice). */
export interface RunningPostgres {
  /** `postgres://postgres:<password>@127.0.0.1:<port>/postgres`. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** The postmaster's process id; every other process of the server is its child. */
  readonly pid: number;
  /** The temporary directory holding the cluster; removed by `stop()`. */
  readonly dir: string;
  /** What the server has written to stdout and stderr so far (its last 64 KiB). */
  output(): string;
  stop(): Promise<void>;
}

/** Why the server could not be had: `POSTGRES_NOT_FOUND`, `POSTGRES_INITDB_FAILED` or `POSTGRES_START_FAILED`. */
export class PostgresStartError extends Error {
  readonly code: 'POSTGRES_NOT_FOUND' | 'POSTGRES_INITDB_FAILED' | 'POSTGRES_START_FAILED';

  constructor(code: PostgresStartError['code'], message: string) {
    super(message);
    this.code = code;
    this.name = 'PostgresStartError';
  }
}

const DEFAULT_SETTINGS: Readonly<Record<string, string>> = { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' };
const WATCHDOG = path.join(__dirname, 'postgresWatchdog.js');
const READY_LINE = 'database system is ready to accept connections';
const PORT_IN_USE = /could not bind IPv4 address|Address already in use/;
const PORT_ATTEMPTS = 3;
const OUTPUT_LIMIT_CHARS = 64 * 1024;
const OUTPUT_SHOWN_LINES = 30;

/** Starts a fresh server; rejects with a {@link PostgresStartError} showing the server's output. */
export async function startPostgres(options: PostgresOptions = {}): Promise<RunningPostgres> {
  const startTimeoutMs = options.startTimeoutMs ?? 60_000;
  const deadline = Date.now() + startTimeoutMs;
  const binDir = options.binDir ?? findBinDir(process.env.PATH ?? '', fs.existsSync, listVersions);
  const dir = fs.mkdtempSync(path.join(options.parentDir ?? os.tmpdir(), 'pods-pg-'));
  const user = process.getuid?.() === 0 ? unprivilegedUser(fs.readFileSync('/etc/passwd', 'utf8')) : undefined;
  try {
    if (user) fs.chownSync(dir, user.uid, user.gid);
    const password = randomBytes(18).toString('base64url');
    await initdb(binDir, dir, password, user, deadline - Date.now(), startTimeoutMs);
    const settings = { ...DEFAULT_SETTINGS, ...options.settings };
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      try {
        return await startServer({ binDir, dir, port, password, settings, user, stopTimeoutMs: options.stopTimeoutMs ?? 10_000, remainingMs: deadline - Date.now(), startTimeoutMs });
      } catch (error) {
        // Another process took the port between our probe and the server's bind: try another one.
        const retry = error instanceof PostgresStartError && PORT_IN_USE.test(error.message) && attempt < PORT_ATTEMPTS;
        if (!retry) throw error;
      }
    }
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * The folder with `initdb` and `postgres`: the first PATH entry that has both, else the newest
 * version under /usr/lib/postgresql (where Debian puts them, off PATH).
 */
export function findBinDir(pathEnv: string, exists: (file: string) => boolean, versions: () => readonly string[]): string {
  const has = (folder: string): boolean => exists(path.join(folder, 'initdb')) && exists(path.join(folder, 'postgres'));
  const onPath = pathEnv.split(path.delimiter).filter((entry) => entry !== '').find(has);
  if (onPath !== undefined) return onPath;
  const debian = [...versions()].sort((a, b) => Number(b) - Number(a)).map((version) => `/usr/lib/postgresql/${version}/bin`).find(has);
  if (debian !== undefined) return debian;
  throw new PostgresStartError(
    'POSTGRES_NOT_FOUND',
    'PostgreSQL\'s initdb and postgres were found neither on PATH nor in /usr/lib/postgresql/<version>/bin; install them (Debian: apt-get install postgresql) or pass binDir.',
  );
}

/** The user a root process runs the server as: `postgres` if /etc/passwd has it, else `nobody`. */
export function unprivilegedUser(passwd: string): { name: string; uid: number; gid: number } {
  const users = passwd
    .split('\n')
    .map((line) => line.split(':'))
    .filter((fields) => fields.length >= 4)
    .map(([name, , uid, gid]) => ({ name: name!, uid: Number(uid), gid: Number(gid) }));
  const user = users.find((entry) => entry.name === 'postgres') ?? users.find((entry) => entry.name === 'nobody');
  if (user === undefined) throw new PostgresStartError('POSTGRES_START_FAILED', 'PostgreSQL will not run as root, and /etc/passwd has neither a postgres nor a nobody user to run it as.');
  return user;
}

function listVersions(): string[] {
  try {
    return fs.readdirSync('/usr/lib/postgresql').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
}

type User = ReturnType<typeof unprivilegedUser> | undefined;

/** The server's environment: messages in English (the ready line is matched), no inherited PG* settings. */
function serverEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C' };
  for (const name of Object.keys(env)) if (name.startsWith('PG')) delete env[name];
  return env;
}

async function initdb(binDir: string, dir: string, password: string, user: User, remainingMs: number, startTimeoutMs: number): Promise<void> {
  const pwfile = path.join(dir, 'pwfile');
  fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (user) fs.chownSync(pwfile, user.uid, user.gid);
  const args = ['-D', path.join(dir, 'data'), '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${pwfile}`, '-E', 'UTF8', '--no-locale', '--no-sync', '--no-instructions'];
  const run = await new Promise<{ error: (Error & { code?: unknown; killed?: boolean; signal?: string }) | null; output: string }>((resolve) => {
    execFile(path.join(binDir, 'initdb'), args, { env: serverEnv(), timeout: Math.max(1, remainingMs), killSignal: 'SIGKILL', ...(user ? { uid: user.uid, gid: user.gid } : {}) }, (error, stdout, stderr) =>
      resolve({ error, output: `${stdout}${stderr}` }),
    );
  });
  fs.rmSync(pwfile, { force: true });
  if (run.error === null) return;
  const { code, killed, signal } = run.error;
  const why = killed ? `did not finish within the start deadline of ${startTimeoutMs} ms` : typeof code === 'number' ? `exited with code ${code}` : signal ? `was ended by ${signal}` : `could not run (${run.error.message})`;
  throw new PostgresStartError('POSTGRES_INITDB_FAILED', `initdb in ${binDir} ${why}; its output:\n${tail(run.output)}`);
}

interface ServerStart {
  binDir: string;
  dir: string;
  port: number;
  password: string;
  settings: Readonly<Record<string, string>>;
  user: User;
  stopTimeoutMs: number;
  remainingMs: number;
  startTimeoutMs: number;
}

function startServer(start: ServerStart): Promise<RunningPostgres> {
  const settings = { ...start.settings, listen_addresses: '127.0.0.1', unix_socket_directories: '' };
  const args = ['-D', path.join(start.dir, 'data'), '-p', String(start.port), ...Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`])];
  // Through the watchdog, which ends the server and removes its directory if this process dies
  // without stopping it (its stdin, kept open here, then closes). Detached: a Ctrl-C meant for Jest
  // must not shut the server down under the tests' feet.
  const watchdog = [WATCHDOG, start.dir, String(start.user?.uid ?? ''), String(start.user?.gid ?? ''), path.join(start.binDir, 'postgres'), ...args];
  const child = spawn(process.execPath, watchdog, { env: serverEnv(), detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  const onData = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT_CHARS);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  // If this process exits without stop() (an uncaught error, process.exit), the server goes with it.
  const killOnExit = (): void => killServer(child);
  process.once('exit', killOnExit);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGINT'); // passed on: a fast shutdown, which rolls back open transactions and disconnects clients
        const timer = setTimeout(() => killServer(child), start.stopTimeoutMs);
        await exited;
        clearTimeout(timer);
      } else {
        await exited;
      }
      process.removeListener('exit', killOnExit);
      fs.rmSync(start.dir, { recursive: true, force: true });
    })());

  return new Promise<RunningPostgres>((resolve, reject) => {
    const fail = (why: string): void => {
      clearTimeout(timer);
      child.stdout!.off('data', onReady);
      child.stderr!.off('data', onReady);
      // stop() only kills and waits here: the caller removes the directory, or retries on another port in it.
      void stopWithoutRemoving().then(() => reject(new PostgresStartError('POSTGRES_START_FAILED', `PostgreSQL (${path.join(start.binDir, 'postgres')} on 127.0.0.1:${start.port}) ${why}; its output:\n${tail(output)}`)));
    };
    const stopWithoutRemoving = async (): Promise<void> => {
      killServer(child);
      await exited;
      process.removeListener('exit', killOnExit);
    };
    const onReady = (): void => {
      if (!output.includes(READY_LINE)) return;
      clearTimeout(timer);
      child.stdout!.off('data', onReady);
      child.stderr!.off('data', onReady);
      child.removeListener('exit', onExit);
      const url = `postgres://postgres:${start.password}@127.0.0.1:${start.port}/postgres`;
      // The postmaster.pid file's first line, written before the server says it is ready.
      const pid = Number(fs.readFileSync(path.join(start.dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
      resolve({ url, host: '127.0.0.1', port: start.port, pid, dir: start.dir, output: () => output, stop });
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => fail(`exited before it was ready, with ${signal ? `signal ${signal}` : `code ${code}`}`);
    const timer = setTimeout(() => {
      child.removeListener('exit', onExit);
      fail(`was not ready within the start deadline of ${start.startTimeoutMs} ms`);
    }, Math.max(1, start.remainingMs));
    child.stdout!.on('data', onReady);
    child.stderr!.on('data', onReady);
    child.once('exit', onExit);
    child.once('error', (error) => {
      child.removeListener('exit', onExit);
      fail(`could not be started (${error.message})`);
    });
  });
}

/**
 * SIGKILL to the watchdog, the postmaster and each process the postmaster forked. They must be named
 * one by one: each backend makes itself a process group leader, so no group kill reaches it, and one
 * busy on a query does not notice its postmaster's death.
 */
function killServer(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const ps = spawnSync('ps', ['-A', '-o', 'pid=', '-o', 'ppid='], { encoding: 'utf8' });
  for (const pid of [child.pid, ...descendantsOf(ps.stdout ?? '', child.pid)]) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
}

/** The ids of `root`'s children, their children and so on, from the output of `ps -A -o pid= -o ppid=`. */
export function descendantsOf(psOutput: string, root: number): number[] {
  const pairs = psOutput
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number))
    .filter(([pid, ppid]) => Number.isInteger(pid) && Number.isInteger(ppid));
  const found: number[] = [];
  for (let parents = [root]; parents.length > 0; ) {
    parents = pairs.filter(([, ppid]) => parents.includes(ppid!)).map(([pid]) => pid!);
    found.push(...parents);
  }
  return found;
}

/** A port of 127.0.0.1 that nothing listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function tail(text: string): string {
  const lines = text.trimEnd().split('\n');
  const shown = lines.slice(-OUTPUT_SHOWN_LINES).map((line) => `  ${line}`).join('\n');
  return lines.length > OUTPUT_SHOWN_LINES ? `  [${lines.length - OUTPUT_SHOWN_LINES} earlier lines]\n${shown}` : shown || '  (nothing)';
}
