'use strict';
// The pods' schema, created once before any pod starts (the pods never migrate, so three of them
// booting together cannot race on it). Idempotent. Reads DATABASE_URL; exits 0 when done.
const { Client } = require('pg');

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS users (
    id BIGSERIAL PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
  );
  CREATE TABLE IF NOT EXISTS sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_on TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
  );
`;

async function main() {
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) throw new Error('DATABASE_URL is not set; it must be the postgres:// URL of the database to migrate.');
  const client = new Client({ connectionString, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    await client.query(SCHEMA);
  } finally {
    await client.end();
  }
  console.log('migrated: users, sessions');
}

main().catch((error) => {
  console.error(`migration failed: ${error.message}`);
  process.exitCode = 1;
});
