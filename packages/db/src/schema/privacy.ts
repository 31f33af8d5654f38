import { jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenants } from './tenancy.ts';
import { tenantIsolation } from './tenant-policy.ts';

/**
 * An end user's consent per category (Segment's `context.consent.categoryPreferences`, or the
 * consent API): category names in lower case, true or false, newest wins per category. The engine
 * reads it when an action is about to be sent.
 */
export const userConsent = pgTable(
  'user_consent',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull(),
    preferences: jsonb('preferences').$type<Record<string, boolean>>().notNull().default({}),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.userId] }), tenantIsolation()],
);

/**
 * User ids whose events are refused (at ingestion) and ignored (by the engine) after a deletion,
 * until lifted. Only a keyed hash of the id is kept (see `userHashSql`), so the list of the
 * forgotten does not itself remember them.
 */
export const userSuppressions = pgTable(
  'user_suppressions',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    userHash: text('user_hash').notNull(),
    deletionId: uuid('deletion_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.userHash] }), tenantIsolation()],
);

/** That a user's data was deleted: who asked, when, and how many rows of each kind went — not the data. */
export const userDeletions = pgTable(
  'user_deletions',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull(),
    userHash: text('user_hash').notNull(),
    /** The API key (id and name) or member that asked. */
    requestedBy: text('requested_by').notNull(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }).notNull().defaultNow(),
    counts: jsonb('counts').$type<Record<string, number>>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), tenantIsolation()],
);
