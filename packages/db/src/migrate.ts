import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';

export const migrationsFolder = fileURLToPath(new URL('../migrations', import.meta.url));

/** Applies the committed drizzle-kit migrations. Needs the owner role, not the app role. */
export async function runMigrations(adminConnectionString: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminConnectionString });
  await client.connect();
  try {
    // Two processes migrating at once (web and engine starting together) would race on the
    // journal; one advisory lock serialises them.
    await client.query('select pg_advisory_lock(7262351)');
    await migrate(drizzle(client), { migrationsFolder });
  } finally {
    await client.query('select pg_advisory_unlock(7262351)').catch(() => {});
    await client.end();
  }
}
