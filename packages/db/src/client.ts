import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from './schema/index.ts';

export type Schema = typeof schema;
export type Database = NodePgDatabase<Schema>;

export interface DbOptions {
  connectionString: string;
  /** Pool size; Postgres connections are the scarce resource, keep it small per process. */
  max?: number;
  applicationName?: string;
  /**
   * How long a query may wait for a free pooled connection before it fails (0: forever). Request
   * handlers set it, so an exhausted pool answers with an error instead of hanging.
   */
  connectionTimeoutMillis?: number;
}

export interface DbHandle {
  db: Database;
  pool: pg.Pool;
  close(): Promise<void>;
}

export function createDb({
  connectionString,
  max = 10,
  applicationName = 'tripwire',
  connectionTimeoutMillis = 0,
}: DbOptions): DbHandle {
  const pool = new pg.Pool({ connectionString, max, application_name: applicationName, connectionTimeoutMillis });
  // An idle client that loses its connection emits 'error' on the pool; without a listener
  // that would crash the process. The next query simply gets a fresh connection.
  pool.on('error', () => {});
  const db = drizzle(pool, { schema, casing: 'snake_case' });
  return { db, pool, close: () => pool.end() };
}
