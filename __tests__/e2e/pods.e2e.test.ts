import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { findBinDir, startPostgres, type RunningPostgres } from '../../examples/pods/postgres';
import { ensureAptPackage } from './helpers/aptPackage';
import { freePorts, living, processExists, request, startPod, withDescendants, type Answer, type LocalPod } from './helpers/localPods';
import { PROJECT_ROOT } from './helpers/runJest';

/**
 * examples/pods works today without the harness: a real PostgreSQL started by the test
 * (examples/pods/postgres.ts), the schema migrated once, three service processes started by hand
 * with the MULTINODE_* variables processes mode would give them, and the checks of pods.test.ts
 * made over plain HTTP: each pod healthy on its own, a login made on pod-1 recognised on pod-2 and
 * pod-3, and pod-2 killed with SIGKILL, restarted and serving again. Nothing is left running.
 */
const ROLES = ['pod-1', 'pod-2', 'pod-3'] as const;
type Role = (typeof ROLES)[number];
const SERVER = path.join('examples', 'pods', 'server.js');
const MIGRATE = path.join('examples', 'pods', 'migrate.js');
const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5000;

const hasPostgres = (): boolean => {
  try {
    findBinDir(process.env.PATH ?? '', fs.existsSync, () => (fs.existsSync('/usr/lib/postgresql') ? fs.readdirSync('/usr/lib/postgresql') : []));
    return true;
  } catch {
    return false;
  }
};
const missingPostgres = ensureAptPackage('postgresql', hasPostgres);
if (missingPostgres !== null) console.warn(`Skipping the pods example's tests: ${missingPostgres}.`);
const describeWithPostgres = missingPostgres === null ? describe : describe.skip;

/** Retries `check` until it stops throwing; after `timeoutMs` rethrows its last error. */
async function eventually<T>(check: () => Promise<T>, timeoutMs = 10_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}

describeWithPostgres('examples/pods by hand: three service processes sharing one PostgreSQL', () => {
  let db: RunningPostgres | undefined;
  let ports: number[] = [];
  const pods = new Map<Role, LocalPod>();
  /** Every process started, every incarnation, to check that none is left. */
  const started: LocalPod[] = [];

  const launch = async (role: Role, incarnation: number): Promise<LocalPod> => {
    const pod = await startPod({
      role,
      command: [process.execPath, SERVER],
      cwd: PROJECT_ROOT,
      host: '127.0.0.1',
      port: ports[ROLES.indexOf(role)]!,
      incarnation,
      env: { DATABASE_URL: db!.url },
      readyPath: '/health/live',
      readyTimeoutMs: READY_TIMEOUT_MS,
    });
    started.push(pod);
    pods.set(role, pod);
    return pod;
  };
  const on = (role: Role, pathname: string, options?: Parameters<typeof request>[1]): Promise<Answer> => request(`${pods.get(role)!.url}${pathname}`, options);
  const teardown = async (): Promise<void> => {
    await Promise.all(started.map((pod) => pod.stop('SIGTERM', STOP_TIMEOUT_MS)));
    await db?.stop();
  };

  beforeAll(async () => {
    db = await startPostgres();
    // Once, before any pod starts, as node.setup does in processes mode: the pods never migrate.
    await promisify(execFile)(process.execPath, [MIGRATE], { cwd: PROJECT_ROOT, env: { ...process.env, DATABASE_URL: db.url }, timeout: 30_000 });
    ports = await freePorts(ROLES.length);
    await Promise.all(ROLES.map((role) => launch(role, 0)));
  }, 120_000);

  afterAll(teardown, 30_000);

  it('each pod answers /health/live and /health/ready on its own, naming itself', async () => {
    for (const role of ROLES) {
      expect(await on(role, '/health/live')).toMatchObject({ status: 200, body: { status: 'live', pod: role, incarnation: 0 } });
      expect(await on(role, '/health/ready')).toMatchObject({ status: 200, body: { status: 'ready', pod: role } });
    }
  });

  it('recognises on pod-2 and pod-3 a login created on pod-1, and no made-up token', async () => {
    const credentials = { email: 'ada@example.com', password: 'correct horse' };
    expect(await on('pod-1', '/signup', { method: 'POST', json: credentials })).toMatchObject({ status: 201 });
    const login = await on('pod-1', '/login', { method: 'POST', json: credentials });
    expect(login).toMatchObject({ status: 201, body: { pod: 'pod-1' } });
    const token = (login.body as { token: string }).token;

    for (const role of ['pod-2', 'pod-3'] as const) {
      const me = await on(role, '/me', { headers: { authorization: `Bearer ${token}` } });
      expect(me).toMatchObject({ status: 200, body: { email: credentials.email, createdOn: 'pod-1', pod: role } });
      expect(await on(role, '/me', { headers: { authorization: 'Bearer made-up' } })).toMatchObject({ status: 401 });
    }
    // The same account cannot sign up again on another pod: the users are shared too.
    expect(await on('pod-3', '/signup', { method: 'POST', json: credentials })).toMatchObject({ status: 409 });
  });

  it('serves again after pod-2 is killed with SIGKILL and restarted, while pod-1 and pod-3 keep serving', async () => {
    const credentials = { email: 'grace@example.com', password: 'hunter2' };
    await on('pod-1', '/signup', { method: 'POST', json: credentials });
    const token = ((await on('pod-1', '/login', { method: 'POST', json: credentials })).body as { token: string }).token;
    const asGrace = { headers: { authorization: `Bearer ${token}` } };

    const killed = pods.get('pod-2')!;
    await killed.kill();
    expect(processExists(killed.pid)).toBe(false);
    await expect(on('pod-2', '/health/live')).rejects.toThrow(/ECONNREFUSED/);
    for (const role of ['pod-1', 'pod-3'] as const) expect(await on(role, '/me', asGrace)).toMatchObject({ status: 200, body: { pod: role } });

    await launch('pod-2', 1);
    const me = await eventually(async () => {
      const answer = await on('pod-2', '/me', asGrace);
      expect(answer.status).toBe(200);
      return answer;
    });
    expect(me.body).toMatchObject({ email: credentials.email, pod: 'pod-2', incarnation: 1 });
    expect(await on('pod-2', '/health/ready')).toMatchObject({ status: 200, body: { incarnation: 1 } });
  });

  it('leaves no pod process, no database process and no database directory once stopped', async () => {
    const dir = db!.dir;
    const postmaster = db!.pid;
    const servers = withDescendants(postmaster);
    expect(fs.existsSync(dir)).toBe(true);
    await teardown();
    expect(started.filter((pod) => processExists(pod.pid) || processExists(-pod.pid)).map((pod) => `${pod.spec.role}#${pod.spec.incarnation}`)).toEqual([]);
    expect(living(servers)).toEqual([]);
    expect(fs.existsSync(dir)).toBe(false);
    expect(started.map((pod) => pod.output()).join('')).not.toMatch(/failed:|Error/);
  });
});
