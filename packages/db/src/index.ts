export { createDb, type Database, type DbHandle, type DbOptions } from './client.ts';
export {
  deleteUserHistory,
  type EventHistoryStore,
  type HistoryCursor,
  type PostgresHistoryOptions,
  postgresEventHistory,
  type StoredEvent,
  type TimeRange,
} from './event-history.ts';
export { type AppendStrategy, COPY_MIN_ROWS } from './event-history-append.ts';
export { migrationsFolder, runMigrations } from './migrate.ts';
export { withoutQueryValues } from './query-error.ts';
export * from './schema/index.ts';
export { schemaExists } from './schema-exists.ts';
export { actAsTenant, type TenantTx, withTenant } from './tenant.ts';
