import { sql } from 'drizzle-orm';
import { foreignKey, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenants } from './tenancy.ts';
import { tenantIsolation } from './tenant-policy.ts';
import { workflows } from './workflows.ts';

/**
 * Events (and resume jobs) whose effects are committed. The engine inserts the key in the same
 * transaction as the effects, so a redelivered event finds it and changes nothing.
 */
export const processedEvents = pgTable(
  'processed_events',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    messageId: text('message_id').notNull(),
    processedAt: timestamp('processed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.messageId] }),
    index('processed_events_tenant_time_idx').on(t.tenantId, t.processedAt),
    tenantIsolation(),
  ],
);

/**
 * Timestamps per user and node: matching events for condition.count, passes for limit.frequency.
 * Keyed by workflow (not version) so counts survive a republish.
 */
export const userMarks = pgTable(
  'user_marks',
  {
    tenantId: uuid('tenant_id').notNull(),
    userId: text('user_id').notNull(),
    workflowId: uuid('workflow_id').notNull(),
    nodeId: text('node_id').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    /** The event's messageId or the run's id: the same mark is never counted twice. */
    ref: text('ref').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.userId, t.workflowId, t.nodeId, t.at, t.ref] }),
    foreignKey({ columns: [t.tenantId, t.workflowId], foreignColumns: [workflows.tenantId, workflows.id] }).onDelete(
      'cascade',
    ),
    tenantIsolation(),
  ],
);

/** One row per run: where it is, what it did and why (each condition's result), with timestamps. */
export const runs = pgTable(
  'runs',
  {
    tenantId: uuid('tenant_id').notNull(),
    id: uuid('id').notNull(),
    workflowId: uuid('workflow_id').notNull(),
    version: integer('version').notNull(),
    userId: text('user_id').notNull(),
    triggerEvent: jsonb('trigger_event').notNull(),
    /** running | waiting | completed | failed */
    status: text('status').notNull(),
    currentNode: text('current_node'),
    /** Waits not yet resumed; the run completes when it reaches 0 with nothing left to do. */
    pending: integer('pending').notNull().default(0),
    path: jsonb('path').notNull().default(sql`'[]'::jsonb`),
    /** What its "Look up" nodes answered, by node id (`lookup.<nodeId>`): nodes after a wait read it. */
    lookups: jsonb('lookups').notNull().default(sql`'{}'::jsonb`),
    error: text('error'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    foreignKey({ columns: [t.tenantId, t.workflowId], foreignColumns: [workflows.tenantId, workflows.id] }).onDelete(
      'cascade',
    ),
    index('runs_tenant_workflow_started_idx').on(t.tenantId, t.workflowId, t.startedAt),
    // The run explorer: newest first, all runs, or by user, or by workflow and status.
    index('runs_tenant_started_idx').on(t.tenantId, t.startedAt, t.id),
    index('runs_tenant_user_started_idx').on(t.tenantId, t.userId, t.startedAt),
    index('runs_tenant_workflow_status_started_idx').on(t.tenantId, t.workflowId, t.status, t.startedAt),
    index('runs_tenant_finished_idx').on(t.tenantId, t.finishedAt),
    // The event debugger asks which runs the events on screen started.
    index('runs_tenant_trigger_message_idx').on(t.tenantId, sql`(${t.triggerEvent}->>'messageId')`),
    tenantIsolation(),
  ],
);

/**
 * Answers of "Look up" nodes, per user and request (a hash of the URL and headers, so a changed
 * URL or token asks again). Each node reads them within its own "reuse for"; the engine's
 * maintenance deletes rows older than the longest a node may reuse one. Deleted with the user.
 */
export const lookupCache = pgTable(
  'lookup_cache',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    userId: text('user_id').notNull(),
    requestHash: text('request_hash').notNull(),
    status: integer('status').notNull(),
    value: jsonb('value').notNull(),
    fetchedAt: timestamp('fetched_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.userId, t.requestHash] }),
    index('lookup_cache_tenant_fetched_idx').on(t.tenantId, t.fetchedAt),
    tenantIsolation(),
  ],
);

/** A run waiting at a wait.event node for the user's next matching event. */
export const waiters = pgTable(
  'waiters',
  {
    tenantId: uuid('tenant_id').notNull(),
    runId: uuid('run_id').notNull(),
    nodeId: text('node_id').notNull(),
    userId: text('user_id').notNull(),
    eventName: text('event_name').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    timeoutJobId: text('timeout_job_id'),
    /** The node's output an awaited event resumes the run on (null: "received"). */
    resumeOutput: text('resume_output'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.runId, t.nodeId] }),
    foreignKey({ columns: [t.tenantId, t.runId], foreignColumns: [runs.tenantId, runs.id] }).onDelete('cascade'),
    index('waiters_tenant_user_event_idx').on(t.tenantId, t.userId, t.eventName),
    tenantIsolation(),
  ],
);

/** The latest failure of each action, so a dead letter can say why it died. */
export const actionAttempts = pgTable(
  'action_attempts',
  {
    tenantId: uuid('tenant_id').notNull(),
    actionId: text('action_id').notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    lastStatus: integer('last_status'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.actionId] }), tenantIsolation()],
);

/** Actions that failed for good: inspectable and replayable through /v1/dead-letters. */
export const deadLetters = pgTable(
  'dead_letters',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    id: uuid('id').notNull(),
    queue: text('queue').notNull(),
    actionId: text('action_id').notNull(),
    runId: uuid('run_id'),
    workflowId: uuid('workflow_id'),
    nodeId: text('node_id'),
    data: jsonb('data').notNull(),
    error: text('error').notNull(),
    attempts: integer('attempts').notNull().default(0),
    failedAt: timestamp('failed_at', { withTimezone: true }).notNull().defaultNow(),
    replayedAt: timestamp('replayed_at', { withTimezone: true }),
    replayJobId: text('replay_job_id'),
    /** Set aside by someone who decided it should not be delivered (audit_log says who). */
    discardedAt: timestamp('discarded_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index('dead_letters_tenant_failed_idx').on(t.tenantId, t.failedAt),
    index('dead_letters_tenant_workflow_failed_idx').on(t.tenantId, t.workflowId, t.failedAt),
    tenantIsolation(),
  ],
);

/**
 * The circuit breaker of each endpoint (a tenant's URL origin) the engine calls. After a run of
 * failed deliveries the circuit opens: the endpoint's jobs stay queued (not fetched, not dropped)
 * until `resumeAt`, when the next delivery tries again; a success closes it, a failure opens it
 * again for twice as long. Shown in Settings and `GET /v1/endpoints`.
 */
export const endpointCircuits = pgTable(
  'endpoint_circuits',
  {
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    /** The URL origin: scheme, host and port. */
    endpoint: text('endpoint').notNull(),
    /** 'open' (paused until resumeAt) or 'closed' (delivering). */
    state: text('state').notNull(),
    /** Failures in a row that opened it the last time. */
    failures: integer('failures').notNull().default(0),
    /** Times it opened without a success in between: the pause doubles each time. */
    opens: integer('opens').notNull().default(0),
    openedAt: timestamp('opened_at', { withTimezone: true }),
    resumeAt: timestamp('resume_at', { withTimezone: true }),
    lastError: text('last_error'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.endpoint] }), tenantIsolation()],
);
