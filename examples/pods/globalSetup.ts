/**
 * Starts the pods' PostgreSQL once for the whole run, before any test file (and so before any pod).
 * The pods find it through DATABASE_URL: Jest's workers, and the node processes they start, inherit
 * the environment this sets. globalTeardown.ts stops it.
 */
import { startPostgres, type RunningPostgres } from './postgres';

/** Where globalTeardown.ts, which Jest runs in this same process, finds the server. */
export const holder = globalThis as { podsPostgres?: RunningPostgres };

export default async function globalSetup(): Promise<void> {
  const db = await startPostgres({ startTimeoutMs: 60_000 });
  holder.podsPostgres = db;
  process.env.DATABASE_URL = db.url;
}
