import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Client } from 'pg';
import { findBinDir, startPostgres, unprivilegedUser, PostgresStartError, type RunningPostgres } from '../../examples/pods/postgres';
import { ensureAptPackage } from './helpers/aptPackage';
import { processExists } from './helpers/localPods';

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
    expect(processExists(-pid)).toBe(true);
    await db!.stop();
    await db!.stop();
    expect(processExists(-pid)).toBe(false);
    expect(await refuses(port)).toBe(true);
    expect(fs.existsSync(dir)).toBe(false);
    expect(fs.readdirSync(parent)).toEqual([]);
  });
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
    expect(processExists(Number(fs.readFileSync(pidFile, 'utf8')))).toBe(false);
    expect(fs.readdirSync(parent)).toEqual([path.basename(bin)]);
  }, 90_000);

  it('names the deadline when initdb does not finish within it', async () => {
    await expect(startPostgres({ parentDir: parent, startTimeoutMs: 1 })).rejects.toMatchObject({ code: 'POSTGRES_INITDB_FAILED', message: expect.stringContaining('did not finish within the start deadline of 1 ms') });
    expect(fs.readdirSync(parent)).toEqual([]);
  });
});
