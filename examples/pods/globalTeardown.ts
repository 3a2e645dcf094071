/** Stops the PostgreSQL of globalSetup.ts and removes its directory, whatever the tests did. */
import { holder } from './globalSetup';

export default async function globalTeardown(): Promise<void> {
  await holder.podsPostgres?.stop();
  holder.podsPostgres = undefined;
}
