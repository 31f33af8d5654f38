import { jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenants } from './tenancy.ts';
import { tenantIsolation } from './tenant-policy.ts';

/**
 * A workspace's tracking plan (one row per workspace): the declared events with their
 * properties' types, as @tripwire/rules' TrackingPlan describes them, and what ingestion does
 * with an event that breaks it (flag, drop the property, reject the event). No row: no plan.
 */
export const trackingPlans = pgTable(
  'tracking_plans',
  {
    tenantId: uuid('tenant_id')
      .primaryKey()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    mode: text('mode').notNull().default('flag'),
    events: jsonb('events').$type<unknown[]>().notNull().default([]),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  () => [tenantIsolation()],
);
