import { index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenants } from './tenancy.ts';
import { tenantIsolation } from './tenant-policy.ts';

/**
 * Webhook signing secrets (Standard Webhooks `whsec_…`). Several can be active while a rotation
 * overlaps: the engine signs with every secret whose expires_at is null or in the future.
 */
export const signingSecrets = pgTable(
  'signing_secrets',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull(),
    secret: text('secret').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    /** Secrets are shown once: when created by rotation, or one reveal of the first one. */
    revealedAt: timestamp('revealed_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('signing_secrets_tenant_created_idx').on(t.tenantId, t.createdAt),
    tenantIsolation(),
  ],
);
