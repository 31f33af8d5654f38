import pg from 'pg';

/**
 * Whether a Postgres schema exists. pg-boss runs `CREATE SCHEMA IF NOT EXISTS`, which Postgres
 * refuses without CREATE on the database even when the schema is there; the app role does not have
 * that privilege, so callers tell pg-boss not to try when the migration already made the schema.
 */
export async function schemaExists(connectionString: string, schema: string): Promise<boolean> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_namespace where nspname = $1', [schema]);
    return (rowCount ?? 0) > 0;
  } finally {
    await client.end();
  }
}
