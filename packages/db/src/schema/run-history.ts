import {
  bigint,
  foreignKey,
  index,
  integer,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { tenantIsolation } from './tenant-policy.ts';
import { workflows } from './workflows.ts';

/**
 * Every attempt of every action — what the receiver answered, how long it took — for the run
 * trace and the truthful run status (delivered / retrying / failed). Written by the engine's action
 * workers in bulk after each fetched batch; pruned with the runs.
 */
export const actionDeliveries = pgTable(
  'action_deliveries',
  {
    tenantId: uuid('tenant_id').notNull(),
    actionId: text('action_id').notNull(),
    attempt: integer('attempt').notNull(),
    runId: uuid('run_id').notNull(),
    workflowId: uuid('workflow_id').notNull(),
    nodeId: text('node_id').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    /** delivered | retrying (will be tried again) | rescheduled (Retry-After) | failed (dead letter) */
    outcome: text('outcome').notNull(),
    httpStatus: integer('http_status'),
    latencyMs: integer('latency_ms'),
    /** The start of what the receiver answered (at most 1 KB). */
    response: text('response'),
    error: text('error'),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.actionId, t.attempt] }),
    index('action_deliveries_tenant_run_idx').on(t.tenantId, t.runId),
    index('action_deliveries_tenant_at_idx').on(t.tenantId, t.at),
    tenantIsolation(),
  ],
);

/**
 * How many runs entered each node (`output` '') and left it by each output, per 5-minute bucket, for
 * the counts on the canvas. The engine adds to these in the transaction that records the runs;
 * `shard` spreads one hot counter over the engine's concurrent transactions (summed when read).
 */
export const pathCounts = pgTable(
  'path_counts',
  {
    tenantId: uuid('tenant_id').notNull(),
    workflowId: uuid('workflow_id').notNull(),
    version: integer('version').notNull(),
    bucket: timestamp('bucket', { withTimezone: true }).notNull(),
    nodeId: text('node_id').notNull(),
    output: text('output').notNull(),
    shard: smallint('shard').notNull(),
    count: bigint('count', { mode: 'number' }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.workflowId, t.version, t.bucket, t.nodeId, t.output, t.shard] }),
    foreignKey({ columns: [t.tenantId, t.workflowId], foreignColumns: [workflows.tenantId, workflows.id] }).onDelete(
      'cascade',
    ),
    tenantIsolation(),
  ],
);
