import { bigint, date, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { tenants } from './tenancy.ts';
import { tenantIsolation } from './tenant-policy.ts';

/**
 * What each tenant used per period (decision 039): `events` per UTC month (the period is the
 * month's first day), counted by ingestion as it admits them; `actions` per UTC day, counted by
 * the engine in the transaction that enqueues them (held actions count on the day they are held
 * for). One row per tenant, metric and period, whichever process adds to it.
 */
export const usageCounters = pgTable(
  'usage_counters',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    metric: text('metric').notNull(),
    period: date('period', { mode: 'string' }).notNull(),
    count: bigint('count', { mode: 'number' }).notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.metric, t.period] }), tenantIsolation()],
);
