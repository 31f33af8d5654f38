import {
  bigserial,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { tenants, users } from './tenancy.ts';
import { tenantIsolation } from './tenant-policy.ts';

/** A workflow and its editable draft (a workflow document v1, see @tripwire/rules). */
export const workflows = pgTable(
  'workflows',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull(),
    name: text('name').notNull(),
    description: text('description'),
    draft: jsonb('draft').notNull(),
    /** The version the engines run; null when unpublished. */
    activeVersion: integer('active_version'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('workflows_tenant_updated_idx').on(t.tenantId, t.updatedAt),
    tenantIsolation(),
  ],
);

/**
 * A published version: immutable (the app role may insert and read, never update or delete;
 * see the grants migration). Holds the compiled plan so engines load it without recompiling.
 */
export const workflowVersions = pgTable(
  'workflow_versions',
  {
    tenantId: uuid('tenant_id').notNull(),
    workflowId: uuid('workflow_id').notNull(),
    version: integer('version').notNull(),
    document: jsonb('document').notNull(),
    plan: jsonb('plan').notNull(),
    compilerVersion: text('compiler_version').notNull(),
    publishedBy: uuid('published_by').references(() => users.id, { onDelete: 'set null' }),
    /** Set instead of publishedBy when an admin API key published (workflows as code). */
    publishedByKey: text('published_by_key'),
    publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.workflowId, t.version] }),
    foreignKey({
      columns: [t.tenantId, t.workflowId],
      foreignColumns: [workflows.tenantId, workflows.id],
      name: 'workflow_versions_workflow_fk',
    }).onDelete('cascade'),
    tenantIsolation(),
  ],
);

/**
 * Why the engine refuses to run a published version: its node types, versions or settings are
 * unknown to the running release. Written by the engine when it loads the version, removed when a
 * later load succeeds; shown with the workflow so nobody wonders why a live flow does nothing.
 */
export const workflowVersionProblems = pgTable(
  'workflow_version_problems',
  {
    tenantId: uuid('tenant_id').notNull(),
    workflowId: uuid('workflow_id').notNull(),
    version: integer('version').notNull(),
    /** [{ nodeId?, code, message }] */
    problems: jsonb('problems').notNull(),
    detectedAt: timestamp('detected_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.workflowId, t.version] }),
    foreignKey({
      columns: [t.tenantId, t.workflowId],
      foreignColumns: [workflows.tenantId, workflows.id],
      name: 'workflow_version_problems_workflow_fk',
    }).onDelete('cascade'),
    tenantIsolation(),
  ],
);

/**
 * When each version went live or the workflow was unpublished (version null), written by a trigger
 * on workflows.active_version: "why didn't this user trigger?" replays each event through the
 * version that was live when it arrived.
 */
export const workflowActivations = pgTable(
  'workflow_activations',
  {
    tenantId: uuid('tenant_id').notNull(),
    workflowId: uuid('workflow_id').notNull(),
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    /** The version live from `at`; null: unpublished from `at`. */
    version: integer('version'),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.workflowId, t.seq] }),
    foreignKey({
      columns: [t.tenantId, t.workflowId],
      foreignColumns: [workflows.tenantId, workflows.id],
      name: 'workflow_activations_workflow_fk',
    }).onDelete('cascade'),
    tenantIsolation(),
  ],
);

/**
 * A backtest (issue 14): a draft and the live version replayed over the tenant's event history,
 * run as a pg-boss job; progress while it runs, the counts when done.
 */
export const backtests = pgTable(
  'backtests',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    workflowId: uuid('workflow_id').notNull(),
    /** queued | running | done | failed | cancelled */
    status: text('status').notNull(),
    from: timestamp('from', { withTimezone: true }).notNull(),
    to: timestamp('to', { withTimezone: true }).notNull(),
    /** The draft replayed (a workflow document v1). */
    document: jsonb('document').notNull(),
    /** The version live when the backtest was asked for (null: none was). */
    liveVersion: integer('live_version'),
    eventsTotal: integer('events_total'),
    eventsDone: integer('events_done').notNull().default(0),
    result: jsonb('result'),
    error: text('error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({
      columns: [t.tenantId, t.workflowId],
      foreignColumns: [workflows.tenantId, workflows.id],
      name: 'backtests_workflow_fk',
    }).onDelete('cascade'),
    index('backtests_tenant_workflow_created_idx').on(t.tenantId, t.workflowId, t.createdAt),
    index('backtests_tenant_status_idx').on(t.tenantId, t.status),
    tenantIsolation(),
  ],
);
