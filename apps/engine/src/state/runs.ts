import { runs, type TenantTx } from '@tripwire/db';
import { and, eq, sql } from 'drizzle-orm';
import type { EventData } from '../envelope.ts';

export interface PathEntry {
  nodeId: string;
  type: string;
  at: string;
  output?: string;
  /** Condition results, counts, what a wait will wait for, the action's id: why the run went this way. */
  detail?: Record<string, unknown>;
}

export interface RunRow {
  id: string;
  workflowId: string;
  version: number;
  userId: string;
  triggerEvent: EventData;
  pending: number;
  status: string;
}

export interface NewRun {
  tenantId: string;
  id: string;
  workflowId: string;
  version: number;
  userId: string;
  triggerEvent: EventData;
}

export interface Step {
  path: PathEntry[];
  pendingDelta: number;
  currentNode: string | null;
  error?: string;
}

export async function insertRun(tx: TenantTx, run: NewRun) {
  await tx.insert(runs).values({ ...run, status: 'running', pending: 0 });
}

/** A run and its first step in one statement: the row insertRun + recordStep would leave. */
export async function insertWalkedRun(tx: TenantTx, run: NewRun, step: Step) {
  const failed = step.error !== undefined;
  const waiting = !failed && step.pendingDelta > 0;
  await tx.insert(runs).values({
    ...run,
    status: failed ? 'failed' : waiting ? 'waiting' : 'completed',
    pending: step.pendingDelta,
    path: step.path,
    currentNode: step.currentNode,
    error: step.error ?? null,
    finishedAt: waiting ? null : sql`now()`,
  });
}

/** The columns of a RunRow, for the selects that lock runs (here and in run-batches.ts). */
export const runRowColumns = {
  id: runs.id,
  workflowId: runs.workflowId,
  version: runs.version,
  userId: runs.userId,
  triggerEvent: runs.triggerEvent,
  pending: runs.pending,
  status: runs.status,
};

export const toRunRow = (row: { triggerEvent: unknown } & Omit<RunRow, 'triggerEvent'>): RunRow => ({
  ...row,
  triggerEvent: row.triggerEvent as EventData,
});

/** The run, locked for this transaction so a resume job and an event cannot advance it at once. */
export async function lockRun(tx: TenantTx, tenantId: string, runId: string): Promise<RunRow | undefined> {
  const [row] = await tx
    .select(runRowColumns)
    .from(runs)
    .where(and(eq(runs.tenantId, tenantId), eq(runs.id, runId)))
    .for('update');
  return row ? toRunRow(row) : undefined;
}

/** Appends what this step did and settles the status: waiting while waits are pending, else done. */
export async function recordStep(tx: TenantTx, tenantId: string, runId: string, step: Step) {
  const failed = step.error !== undefined;
  await tx
    .update(runs)
    .set({
      path: sql`${runs.path} || ${JSON.stringify(step.path)}::jsonb`,
      pending: sql`${runs.pending} + ${step.pendingDelta}`,
      status: failed
        ? 'failed'
        : sql`case when ${runs.pending} + ${step.pendingDelta} > 0 then 'waiting' else 'completed' end`,
      currentNode: step.currentNode,
      error: step.error ?? null,
      updatedAt: sql`now()`,
      finishedAt: failed
        ? sql`now()`
        : sql`case when ${runs.pending} + ${step.pendingDelta} > 0 then null else now() end`,
    })
    .where(and(eq(runs.tenantId, tenantId), eq(runs.id, runId)));
}
