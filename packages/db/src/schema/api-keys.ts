import { index, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { tenants, users } from './tenancy.ts';
import { tenantIsolation } from './tenant-policy.ts';

export const apiKeyScope = pgEnum('api_key_scope', ['ingest', 'admin']);

export const apiKeys = pgTable(
  'api_keys',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull(),
    name: text('name').notNull(),
    scope: apiKeyScope('scope').notNull(),
    /** The first characters of the key, shown in lists so people can tell keys apart. */
    prefix: text('prefix').notNull(),
    /** SHA-256 (hex) of the whole key; the key itself is shown once and never stored. */
    hash: text('hash').notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('api_keys_tenant_created_idx').on(t.tenantId, t.createdAt),
    // The one index not led by tenant_id: a request carries only the key, so the key's hash is
    // how its tenant is found (through a SECURITY DEFINER function, never a table scan by the app).
    uniqueIndex('api_keys_hash_idx').on(t.hash),
    tenantIsolation(),
  ],
);
