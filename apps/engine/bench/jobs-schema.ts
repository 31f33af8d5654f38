// The engine's private pg-boss schema in the dev database. The app role may not create schemas
// there, and pg-boss always runs CREATE SCHEMA IF NOT EXISTS when it installs, which Postgres refuses
// without CREATE on the database even when the schema exists. So the admin creates the schema for the
// app role (as the migrations do for `pgboss`), and pg-boss installs into it without that statement;
// the engine then finds it installed.
import type { Database } from '@tripwire/db';
import { sql } from 'drizzle-orm';
import { PgBoss } from 'pg-boss';

export async function createJobsSchema(admin: Database, appUrl: string, schema: string) {
  await admin.execute(sql.raw(`create schema ${schema} authorization tripwire_app`));
  const boss = new PgBoss({ connectionString: appUrl, schema, createSchema: false, supervise: false, schedule: false });
  boss.on('error', () => {});
  await boss.start();
  await boss.stop({ graceful: false });
}

export async function dropJobsSchema(admin: Database, schema: string) {
  await admin.execute(sql.raw(`drop schema if exists ${schema} cascade`)).catch(() => {});
}
