import pg from 'pg';
import { runMigrations } from './migrate.ts';

export const APP_GROUP_ROLE = 'tripwire_app';

export interface ProvisionOptions {
  /** Owner connection to one of the databases (its server and credentials are reused). */
  adminUrl: string;
  /** The app's login connection; its user and password become the login role. */
  appUrl: string;
  /** Databases to create (if missing) and migrate. */
  databases: string[];
  /** Of those, the ones integration tests use. */
  testDatabases?: string[];
  log?: (line: string) => void;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Creates the databases and the app's login role when missing, then migrates each database. */
export async function provision({
  adminUrl,
  appUrl,
  databases,
  testDatabases = [],
  log = () => {},
}: ProvisionOptions): Promise<void> {
  const app = new URL(appUrl);
  const appUser = decodeURIComponent(app.username);
  const appPassword = decodeURIComponent(app.password);
  if (!appUser) throw new Error('DATABASE_URL must name the app login role (user:password@host/db)');

  const admin = new pg.Client({ connectionString: withDatabase(adminUrl, 'postgres') });
  await admin.connect();
  try {
    const id = (s: string) => admin.escapeIdentifier(s);
    const lit = (s: string) => admin.escapeLiteral(s);
    await admin.query(`select pg_advisory_lock(7262350)`);
    const group = await admin.query('select 1 from pg_roles where rolname = $1', [APP_GROUP_ROLE]);
    if (group.rowCount === 0) {
      await admin.query(`create role ${id(APP_GROUP_ROLE)} nologin nosuperuser nobypassrls`);
    }
    const existing = await admin.query<{ rolsuper: boolean; rolbypassrls: boolean }>(
      'select rolsuper, rolbypassrls from pg_roles where rolname = $1',
      [appUser],
    );
    const row = existing.rows[0];
    if (!row) {
      const password = appPassword ? ` password ${lit(appPassword)}` : '';
      await admin.query(`create role ${id(appUser)} login nosuperuser nobypassrls nocreatedb nocreaterole${password}`);
      log(`created login role ${appUser}`);
    } else if (row.rolsuper || row.rolbypassrls) {
      throw new Error(`role ${appUser} is a superuser or bypasses RLS; the app must not connect as it`);
    } else {
      const password = appPassword ? ` password ${lit(appPassword)}` : '';
      await admin.query(`alter role ${id(appUser)} login${password}`);
    }
    if (appUser !== APP_GROUP_ROLE) await admin.query(`grant ${id(APP_GROUP_ROLE)} to ${id(appUser)}`);

    for (const database of databases) {
      const found = await admin.query('select 1 from pg_database where datname = $1', [database]);
      if (found.rowCount === 0) {
        await admin.query(`create database ${id(database)}`);
        log(`created database ${database}`);
      }
      await admin.query(`grant connect, temporary on database ${id(database)} to ${id(APP_GROUP_ROLE)}`);
      // Integration tests give each engine its own pg-boss schema, so the app role may create
      // schemas in the test database (never in the others).
      if (testDatabases.includes(database))
        await admin.query(`grant create on database ${id(database)} to ${id(APP_GROUP_ROLE)}`);
    }
  } finally {
    await admin.query(`select pg_advisory_unlock(7262350)`).catch(() => {});
    await admin.end();
  }
  for (const database of databases) {
    await runMigrations(withDatabase(adminUrl, database));
    log(`migrated ${database}`);
  }
}
