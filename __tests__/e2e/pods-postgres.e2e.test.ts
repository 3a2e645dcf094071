import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { descendantsOf, findBinDir, startPostgres, unprivilegedUser, PostgresStartError, type RunningPostgres } from '../../examples/pods/postgres';
import { ensureAptPackage } from './helpers/aptPackage';
import { living, withDescendants } from './helpers/processChecks';
import { PROJECT_ROOT } from './helpers/runJest';

/**
 * examples/pods/postgres.ts, the throwaway PostgreSQL of the pods example: a real server that a
 * client reaches with the URL it gives (password required, loopback only), stopped leaving no
 * process and no directory, and a start that fails or misses its deadline shows the server's own
 * output and leaves nothing either.
 */
const debianVersions = (): string[] => (fs.existsSync('/usr/lib/postgresql') ? fs.readdirSync('/usr/lib/postgresql') : []);
const hasPostgres = (): boolean => {
  try {
    findBinDir(process.env.PATH ?? '', fs.existsSync, debianVersions);
    return true;
  } catch {
    return false;
  }
};
const missingPostgres = ensureAptPackage('postgresql', hasPostgres);
if (missingPostgres !== null) console.warn(`Skipping the PostgreSQL tests of the pods example: ${missingPostgres}.`);
const describeWithPostgres = missingPostgres === null ? describe : describe.skip;

/** A fresh parent directory, reachable by the unprivileged user the server runs as under root. */
function parentDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pods-pg-test-'));
  fs.chmodSync(dir, 0o755);
  return dir;
}

function refuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('finding PostgreSQL and its user (pure)', () => {
  const exists = (files: string[]) => (file: string) => files.includes(file);

  it('prefers a PATH entry holding both initdb and postgres, else the newest Debian version', () => {
    const debian = ['/usr/lib/postgresql/9/bin/initdb', '/usr/lib/postgresql/9/bin/postgres', '/usr/lib/postgresql/15/bin/initdb', '/usr/lib/postgresql/15/bin/postgres'];
    expect(findBinDir('/opt/a:/opt/b', exists(['/opt/a/initdb', '/opt/b/initdb', '/opt/b/postgres', ...debian]), () => ['9', '15'])).toBe('/opt/b');
    expect(findBinDir('/opt/a', exists(debian), () => ['9', '15'])).toBe('/usr/lib/postgresql/15/bin');
  });

  it('says where it looked and what to install when there is no PostgreSQL', () => {
    expect(() => findBinDir('/opt/a', exists([]), () => [])).toThrow(
      expect.objectContaining({ code: 'POSTGRES_NOT_FOUND', message: expect.stringMatching(/neither on PATH nor in \/usr\/lib\/postgresql\/<version>\/bin; install them \(Debian: apt-get install postgresql\)/) }),
    );
  });

  it("reads a process's descendants from ps", () => {
    expect(descendantsOf('    1     0\n  200     1\n  201   200\n  202   200\n  2000     20\n  203   201\n', 200)).toEqual([201, 202, 203]);
  });

  it('runs the server as postgres when there is one, else as nobody', () => {
    const nobody = 'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin';
    expect(unprivilegedUser(`root:x:0:0::/root:/bin/sh\npostgres:x:105:111::/var/lib/postgresql:/bin/bash\n${nobody}\n`)).toEqual({ name: 'postgres', uid: 105, gid: 111 });
    expect(unprivilegedUser(`root:x:0:0::/root:/bin/sh\n${nobody}\n`)).toEqual({ name: 'nobody', uid: 65534, gid: 65534 });
  });
});

describeWithPostgres('a throwaway PostgreSQL (examples/pods/postgres.ts)', () => {
  let db: RunningPostgres | undefined;
  let parent: string;

  beforeAll(async () => {
    parent = parentDir();
    db = await startPostgres({ parentDir: parent });
  }, 90_000);

  afterAll(async () => {
    await db?.stop();
    fs.rmSync(parent, { recursive: true, force: true });
  });

  it('serves SQL at the URL it gives, on 127.0.0.1 only, and only with its password', async () => {
    expect(db!.url).toBe(`postgres://postgres:${new URL(db!.url).password}@127.0.0.1:${db!.port}/postgres`);
    const client = new Client({ connectionString: db!.url });
    await client.connect();
    try {
      expect((await client.query('SHOW listen_addresses')).rows).toEqual([{ listen_addresses: '127.0.0.1' }]);
      expect((await client.query('SELECT 6 * 7 AS answer')).rows).toEqual([{ answer: 42 }]);
    } finally {
      await client.end();
    }
    const intruder = new Client({ connectionString: db!.url.replace(/:[^:@]+@/, ':guess@') });
    await expect(intruder.connect()).rejects.toThrow(/password authentication failed/);
  });

  it('stops leaving no server process, a closed port and no directory; stopping twice is fine', async () => {
    const { pid, port, dir } = db!;
    const processes = withDescendants(pid);
    expect(processes.length).toBeGreaterThan(1); // the postmaster and its checkpointer, writers, launchers
    await db!.stop();
    await db!.stop();
    expect(living(processes)).toEqual([]);
    expect(await refuses(port)).toBe(true);
    expect(fs.existsSync(dir)).toBe(false);
    expect(fs.readdirSync(parent)).toEqual([]);
  });
});

describeWithPostgres('a PostgreSQL that does not shut down in time', () => {
  let parent: string;
  beforeEach(() => (parent = parentDir()));
  afterEach(() => fs.rmSync(parent, { recursive: true, force: true }));

  it('has every one of its processes killed after stopTimeoutMs, a backend busy on a query too, and its directory removed', async () => {
    const db = await startPostgres({ parentDir: parent, stopTimeoutMs: 1000 });
    // A runaway query: its backend computes without ever looking whether the postmaster still lives.
    const busy = new Client({ connectionString: db.url });
    busy.on('error', () => {});
    await busy.connect();
    const runaway = busy.query('SELECT count(*) FROM generate_series(1, 10000000000)').catch(() => 'ended');
    const watcher = new Client({ connectionString: db.url });
    await watcher.connect();
    const active = async (): Promise<number> => (await watcher.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE '%generate_series%' AND state = 'active' AND pid <> pg_backend_pid()")).rows[0].n;
    for (const deadline = Date.now() + 10_000; (await active()) === 0; ) if (Date.now() > deadline) throw new Error('the runaway query never became active');
    await watcher.end();
    const processes = withDescendants(db.pid);

    process.kill(db.pid, 'SIGSTOP'); // a postmaster that cannot act on the fast shutdown request
    const stopping = Date.now();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([db.stop(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('stop() did not finish within 15 s')), 15_000)))]).finally(() => clearTimeout(timer));
    expect(Date.now() - stopping).toBeGreaterThanOrEqual(900);
    expect(living(processes)).toEqual([]);
    expect(fs.readdirSync(parent)).toEqual([]);
    expect(await runaway).toBe('ended');
    await busy.end().catch(() => {});
  }, 90_000);
});

describeWithPostgres('a PostgreSQL whose starter is killed', () => {
  let parent: string;
  beforeEach(() => (parent = parentDir()));
  afterEach(() => fs.rmSync(parent, { recursive: true, force: true }));

  it('goes away with all its processes and its directory when the process that started it is killed', async () => {
    // A test run that starts a server, says where it is, then dies without stopping it.
    const script = `require('./examples/pods/postgres').startPostgres({ parentDir: ${JSON.stringify(parent)} }).then((db) => console.log(JSON.stringify({ pid: db.pid, dir: db.dir })));`;
    const starter = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      starter.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        if (out.includes('\n')) resolve(out.split('\n')[0]!);
      });
      starter.once('exit', (code) => reject(new Error(`the starter exited with code ${code} before the server was ready; it printed ${JSON.stringify(out)}`)));
    });
    const { pid, dir } = JSON.parse(line) as { pid: number; dir: string };
    const processes = withDescendants(pid);
    expect(processes.length).toBeGreaterThan(1);
    expect(fs.existsSync(dir)).toBe(true);

    starter.kill('SIGKILL');
    const deadline = Date.now() + 20_000;
    while ((living(processes).length > 0 || fs.existsSync(dir)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect({ living: living(processes), dirLeft: fs.existsSync(dir) }).toEqual({ living: [], dirLeft: false });
  }, 90_000);
});

describeWithPostgres('a PostgreSQL that cannot start', () => {
  let parent: string;
  beforeEach(() => (parent = parentDir()));
  afterEach(() => fs.rmSync(parent, { recursive: true, force: true }));

  it("rejects with the server's own output and leaves nothing behind", async () => {
    const start = startPostgres({ parentDir: parent, settings: { max_connections: 'lots' } });
    await expect(start).rejects.toThrow(PostgresStartError);
    await expect(start).rejects.toMatchObject({ code: 'POSTGRES_START_FAILED', message: expect.stringMatching(/exited before it was ready, with code 1; its output:\n[^]*invalid value for parameter "max_connections": "lots"/) });
    expect(fs.readdirSync(parent)).toEqual([]);
  }, 90_000);

  it('gives up at its deadline, naming it, and kills what it started', async () => {
    // An initdb that does nothing and a postgres that never says it is ready.
    const bin = fs.mkdtempSync(path.join(parent, 'bin-'));
    const pidFile = path.join(bin, 'pid');
    fs.writeFileSync(path.join(bin, 'initdb'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    fs.writeFileSync(path.join(bin, 'postgres'), `#!/bin/sh\necho "starting slowly"\necho $$ > ${pidFile}\nexec sleep 600\n`, { mode: 0o755 });
    fs.chmodSync(bin, 0o777); // the fake server, run as the unprivileged user under root, writes its pid here

    const start = startPostgres({ parentDir: parent, binDir: bin, startTimeoutMs: 2000 });
    await expect(start).rejects.toMatchObject({ code: 'POSTGRES_START_FAILED', message: expect.stringMatching(/was not ready within the start deadline of 2000 ms; its output:\n {2}starting slowly/) });
    expect(living([Number(fs.readFileSync(pidFile, 'utf8'))])).toEqual([]);
    expect(fs.readdirSync(parent)).toEqual([path.basename(bin)]);
  }, 90_000);

  it('tries another port when the one it chose was taken before the server could bind it', async () => {
    // An initdb that does nothing, and a postgres that finds its first port taken and is ready on the next.
    const bin = fs.mkdtempSync(path.join(parent, 'bin-'));
    const first = path.join(bin, 'first-port');
    fs.writeFileSync(path.join(bin, 'initdb'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    const server = [
      '#!/bin/sh',
      `if [ ! -e ${first} ]; then echo "$4" > ${first}; echo 'LOG:  could not bind IPv4 address "127.0.0.1": Address already in use'; exit 1; fi`,
      'mkdir -p "$2" && echo $$ > "$2/postmaster.pid"',
      `echo 'LOG:  ${'database system is ready to accept connections'}'`,
      'exec sleep 600',
    ];
    fs.writeFileSync(path.join(bin, 'postgres'), `${server.join('\n')}\n`, { mode: 0o755 });
    fs.chmodSync(bin, 0o777);

    const db = await startPostgres({ parentDir: parent, binDir: bin, startTimeoutMs: 20_000 });
    try {
      expect(db.port).not.toBe(Number(fs.readFileSync(first, 'utf8')));
      expect(db.output()).not.toContain('Address already in use');
    } finally {
      await db.stop();
    }
  }, 90_000);

  it('names the deadline when initdb does not finish within it', async () => {
    await expect(startPostgres({ parentDir: parent, startTimeoutMs: 1 })).rejects.toMatchObject({ code: 'POSTGRES_INITDB_FAILED', message: expect.stringContaining('did not finish within the start deadline of 1 ms') });
    expect(fs.readdirSync(parent)).toEqual([]);
  });
});
