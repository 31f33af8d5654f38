import { sql } from 'drizzle-orm';
import {
  bigint,
  doublePrecision,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { tenantIsolation } from './tenant-policy.ts';

export const memberRole = pgEnum('member_role', ['owner', 'admin', 'editor', 'viewer']);

/**
 * An operator's plan: the quotas of the tenants on it (decision 039), set with the operator CLI
 * (`npm run tripwire -- plan:create`). Null is no limit; a null ingestion rate leaves the tenant's
 * own. Global, like users: plans are the operator's, not a tenant's.
 */
export const plans = pgTable('plans', {
  id: text('id').primaryKey(),
  ingestRatePerSecond: integer('ingest_rate_per_second'),
  ingestBurst: integer('ingest_burst'),
  eventsPerMonth: bigint('events_per_month', { mode: 'number' }),
  actionsPerDay: integer('actions_per_day'),
  workflows: integer('workflows'),
  /** Actions over the daily quota: `hold` keeps them queued for the next day with room, `drop` does not send them. */
  overQuotaActions: text('over_quota_actions').notNull().default('hold'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const tenants = pgTable(
  'tenants',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    /** Ingestion token bucket: sustained events per second and burst size, per tenant. */
    ingestRatePerSecond: integer('ingest_rate_per_second').notNull().default(1000),
    ingestBurst: integer('ingest_burst').notNull().default(5000),
    /** Consent categories the tenant asks its users about (lower case); none: actions need no consent. */
    consentCategories: text('consent_categories').array().notNull().default(sql`'{}'::text[]`),
    /** The category an action needs when it names none (null: none needed). */
    defaultConsentCategory: text('default_consent_category'),
    /** Days of event history kept for "why not?" and backtests; capped by the instance's maximum. */
    historyRetentionDays: integer('history_retention_days').notNull().default(7),
    /** The operator's plan this tenant is on (its quotas); none: no quotas. */
    planId: text('plan_id').references(() => plans.id, { onDelete: 'restrict' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  () => [tenantIsolation('id')],
);

/** People. Global: one person can belong to several tenants through memberships. */
export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey(),
    email: text('email').notNull(),
    name: text('name'),
    passwordHash: text('password_hash').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('users_email_lower_idx').on(sql`lower(${t.email})`)],
);

export const memberships = pgTable(
  'memberships',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: memberRole('role').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.userId] }), tenantIsolation()],
);

/**
 * Browser sessions (Lucia's guide on @oslojs): the id is the SHA-256 of the random token the
 * cookie carries, so a leaked table does not leak usable tokens. Global, like users.
 */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The tenant the user is working in; the UI shows it at all times and can switch it. */
    currentTenantId: uuid('current_tenant_id').references(() => tenants.id, { onDelete: 'set null' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/** Invitations by link: the link carries a random token, only its SHA-256 is stored. */
export const invitations = pgTable(
  'invitations',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull(),
    tokenHash: text('token_hash').notNull(),
    role: memberRole('role').notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    acceptedBy: uuid('accepted_by').references(() => users.id, { onDelete: 'set null' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    // Like API keys: the link carries only the token, so its hash is how the tenant is found.
    uniqueIndex('invitations_token_idx').on(t.tokenHash),
    tenantIsolation(),
  ],
);

/**
 * Browsers a person has signed in from (OWASP's device cookies): the cookie carries a random token,
 * only its SHA-256 is stored. While an account is under attack, sign-ins from a known device still
 * go through. Global, like sessions.
 */
export const knownDevices = pgTable(
  'known_devices',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('known_devices_user_idx').on(t.userId)],
);

/** Failed sign-ins per account and per client address, for throttling. Global, short-lived. */
export const signInFailures = pgTable(
  'sign_in_failures',
  {
    key: text('key').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('sign_in_failures_key_at_idx').on(t.key, t.at)],
);

/**
 * The ingestion token bucket of each tenant, shared by every web process: processes lease tokens
 * from it a slice at a time (apps/web/src/api/bucket-rate-limit.ts), so N processes give a tenant
 * its rate once, not N times.
 */
export const ingestBuckets = pgTable(
  'ingest_buckets',
  {
    tenantId: uuid('tenant_id')
      .primaryKey()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    tokens: doublePrecision('tokens').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  () => [tenantIsolation()],
);
