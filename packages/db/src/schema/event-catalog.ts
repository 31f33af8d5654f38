import { jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenants } from './tenancy.ts';
import { tenantIsolation } from './tenant-policy.ts';

/**
 * What a tenant has actually sent: event names (with the latest one as a sample for test runs),
 * property paths per event, and profile traits. Feeds the editor's suggestions.
 */
export const eventCatalog = pgTable(
  'event_catalog',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    /** event | property | trait */
    kind: text('kind').notNull(),
    /** The event a property belongs to; '' for events and traits. */
    eventName: text('event_name').notNull().default(''),
    /** Event name, dotted property path, or trait name. */
    path: text('path').notNull(),
    sample: jsonb('sample'),
    lastSeen: timestamp('last_seen', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.kind, t.eventName, t.path] }), tenantIsolation()],
);
