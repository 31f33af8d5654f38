import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenants, users } from './tenancy.ts';
import { tenantIsolation } from './tenant-policy.ts';

/**
 * Who did what to something a tenant owns (replayed a dead letter, discarded one…), shown next to
 * it. Append-only for the app role. The actor's label is copied so it survives the person leaving.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    actorUserId: uuid('actor_user_id').references(() => users.id, { onDelete: 'set null' }),
    actorKeyId: uuid('actor_key_id'),
    /** "Edith Editor <edith@example.com>" or "API key tw_ak_Ab12Cd…" at the time. */
    actorLabel: text('actor_label').notNull(),
    /** `<subject>.<verb>`, e.g. `dead_letter.replay`. */
    action: text('action').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: text('subject_id').notNull(),
    details: jsonb('details'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('audit_log_tenant_subject_idx').on(t.tenantId, t.subjectType, t.subjectId),
    index('audit_log_tenant_at_idx').on(t.tenantId, t.at),
    tenantIsolation(),
  ],
);

/**
 * Ingestion attempts refused in the last hour (400/401/413/429/503), for the event debugger.
 * Counted per (status, reason) and flush window, capped per tenant, pruned after an hour.
 */
export const ingestRejections = pgTable(
  'ingest_rejections',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull(),
    firstAt: timestamp('first_at', { withTimezone: true }).notNull(),
    lastAt: timestamp('last_at', { withTimezone: true }).notNull(),
    status: integer('status').notNull(),
    code: text('code').notNull(),
    reason: text('reason').notNull(),
    endpoint: text('endpoint').notNull(),
    /** The visible start of the API key used (as the Keys page shows it), never the key. */
    keyPrefix: text('key_prefix'),
    count: integer('count').notNull().default(1),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('ingest_rejections_tenant_last_idx').on(t.tenantId, t.lastAt),
    tenantIsolation(),
  ],
);
