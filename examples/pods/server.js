'use strict';
// One pod of the example service: a plain node:http server whose users and login sessions live in
// PostgreSQL, so any pod recognises a login made on another. Run as many as you like against one
// database (after migrate.js has created the schema).
//
// Environment: MULTINODE_HOST and MULTINODE_PORT (where to listen), DATABASE_URL, and optionally
// MULTINODE_ROLE and MULTINODE_INCARNATION (echoed in every answer, so a test can tell which pod,
// and which start of it, answered).
//
//   GET  /health/live   200 while the process serves HTTP (no database involved)
//   GET  /health/ready  200 when the database answers, 503 otherwise
//   POST /signup        { email, password } -> 201 { userId } | 409 taken
//   POST /login         { email, password } -> 201 { token } | 401
//   GET  /me            Authorization: Bearer <token> -> 200 { userId, email, createdOn } | 401
//   POST /logout        Authorization: Bearer <token> -> 204
const http = require('node:http');
const crypto = require('node:crypto');
const { promisify } = require('node:util');
const { Pool } = require('pg');

const scrypt = promisify(crypto.scrypt);
const MAX_BODY_BYTES = 64 * 1024;
const SHUTDOWN_TIMEOUT_MS = 5000;

const { MULTINODE_HOST: host, MULTINODE_PORT: port, DATABASE_URL: databaseUrl } = process.env;
const pod = process.env.MULTINODE_ROLE ?? 'pod';
const incarnation = Number(process.env.MULTINODE_INCARNATION ?? 0);
if (!host || !port || !databaseUrl) {
  console.error(`server.js needs MULTINODE_HOST, MULTINODE_PORT and DATABASE_URL; got host ${JSON.stringify(host)}, port ${JSON.stringify(port)}, DATABASE_URL ${databaseUrl ? 'set' : 'unset'}.`);
  process.exit(2);
}

const pool = new Pool({ connectionString: databaseUrl, max: 4, connectionTimeoutMillis: 3000 });
// An idle connection that the database closes must not crash the pod: the next query reconnects.
pool.on('error', (error) => console.error(`database connection lost: ${error.message}`));

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

const sha256 = (text) => crypto.createHash('sha256').update(text).digest('hex');

async function hashPassword(password) {
  const salt = crypto.randomBytes(16);
  const key = await scrypt(password, salt, 32);
  return `${salt.toString('hex')}:${key.toString('hex')}`;
}

async function passwordMatches(password, stored) {
  const [salt, key] = stored.split(':');
  const candidate = await scrypt(password, Buffer.from(salt, 'hex'), 32);
  return crypto.timingSafeEqual(candidate, Buffer.from(key, 'hex'));
}

function readJson(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) reject(new HttpError(413, `the body is over ${MAX_BODY_BYTES} bytes`));
      else chunks.push(chunk);
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'));
      } catch {
        reject(new HttpError(400, 'the body is not JSON'));
      }
    });
    req.on('error', reject);
  });
}

async function credentials(req) {
  const { email, password } = await readJson(req);
  if (typeof email !== 'string' || typeof password !== 'string' || email === '' || password === '') throw new HttpError(400, 'email and password must be non-empty strings');
  return { email, password };
}

/** The user of the request's bearer token, or a 401. */
async function sessionUser(req) {
  const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  if (token === undefined) throw new HttpError(401, 'no bearer token');
  const { rows } = await pool.query('SELECT u.id, u.email, s.created_on FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1', [sha256(token)]);
  if (rows.length === 0) throw new HttpError(401, 'unknown or ended session');
  return { token, userId: Number(rows[0].id), email: rows[0].email, createdOn: rows[0].created_on };
}

const routes = {
  'GET /health/live': async () => [200, { status: 'live' }],
  'GET /health/ready': async () => {
    try {
      await pool.query('SELECT 1');
      return [200, { status: 'ready' }];
    } catch (error) {
      return [503, { status: 'not ready', error: error.message }];
    }
  },
  'POST /signup': async (req) => {
    const { email, password } = await credentials(req);
    const { rows } = await pool.query('INSERT INTO users (email, password_hash) VALUES ($1, $2) ON CONFLICT (email) DO NOTHING RETURNING id', [email, await hashPassword(password)]);
    if (rows.length === 0) throw new HttpError(409, `${email} has signed up already`);
    return [201, { userId: Number(rows[0].id) }];
  },
  'POST /login': async (req) => {
    const { email, password } = await credentials(req);
    const { rows } = await pool.query('SELECT id, password_hash FROM users WHERE email = $1', [email]);
    if (rows.length === 0 || !(await passwordMatches(password, rows[0].password_hash))) throw new HttpError(401, 'wrong email or password');
    const token = crypto.randomBytes(32).toString('base64url');
    await pool.query('INSERT INTO sessions (token_hash, user_id, created_on) VALUES ($1, $2, $3)', [sha256(token), rows[0].id, pod]);
    return [201, { token }];
  },
  'GET /me': async (req) => {
    const { userId, email, createdOn } = await sessionUser(req);
    return [200, { userId, email, createdOn }];
  },
  'POST /logout': async (req) => {
    const { token } = await sessionUser(req);
    await pool.query('DELETE FROM sessions WHERE token_hash = $1', [sha256(token)]);
    return [204, undefined];
  },
};

const server = http.createServer(async (req, res) => {
  const route = routes[`${req.method} ${new URL(req.url ?? '/', 'http://pod').pathname}`];
  let status = 404;
  let body = { error: `no route ${req.method} ${req.url}` };
  try {
    if (route) [status, body] = await route(req);
  } catch (error) {
    status = error instanceof HttpError ? error.status : 500;
    body = { error: error.message };
    if (status === 500) console.error(`${req.method} ${req.url} failed: ${error.stack}`);
  }
  if (body === undefined) {
    res.writeHead(status, { 'x-pod': pod, 'x-incarnation': String(incarnation) }).end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json', 'x-pod': pod, 'x-incarnation': String(incarnation) });
  res.end(JSON.stringify({ ...body, pod, incarnation }));
});

server.listen(Number(port), host, () => console.log(`${pod} (incarnation ${incarnation}) listening on http://${host}:${port}`));

function shutdown(signal) {
  console.log(`${pod} got ${signal}, closing`);
  setTimeout(() => process.exit(1), SHUTDOWN_TIMEOUT_MS).unref();
  server.close();
  server.closeAllConnections();
  pool.end().then(() => process.exit(0));
}
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
