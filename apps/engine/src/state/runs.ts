import { runs, type TenantTx } from '@tripwire/db';
import type { EventData, PathEntry, Settled } from '@tripwire/rules';
import { and, eq, sql } from 'drizzle-orm';

export interface RunRow {
  id: string;
  workflowId: string;
  version: number;
  userId: string;
  triggerEvent: EventData;
  pending: number;
  status: string;
  /** What its look-ups answered so far (`lookup.<nodeId>`), for the nodes after a wait. */
  lookups: Record<string, unknown>;
}

export interface NewRun {
  tenantId: string;
  id: string;
  workflowId: string;
  version: number;
  userId: string;
  triggerEvent: EventData;
}

/** What one walk of a run did, settled (runtime/run-status.ts decides the status). */
export interface Step {
  path: PathEntry[];
  settled: Settled;
  currentNode: string | null;
  /** Look-up answers this walk added (merged into the run's). */
  lookups: Record<string, unknown>;
  error?: string;
}

export async function insertRun(tx: TenantTx, run: NewRun) {
  await tx.insert(runs).values({ ...run, status: 'running', pending: 0 });
}

/** A run and its first step in one statement: the row insertRun + recordStep would leave. */
export async function insertWalkedRun(tx: TenantTx, run: NewRun, step: Step) {
  await tx.insert(runs).values({
    ...run,
    status: step.settled.status,
    pending: step.settled.pending,
    path: step.path,
    lookups: step.lookups,
    currentNode: step.currentNode,
    error: step.error ?? null,
    finishedAt: step.settled.finished ? sql`now()` : null,
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
  lookups: runs.lookups,
};

export const toRunRow = (
  row: { triggerEvent: unknown; lookups: unknown } & Omit<RunRow, 'triggerEvent' | 'lookups'>,
): RunRow => ({
  ...row,
  triggerEvent: row.triggerEvent as EventData,
  lookups: (row.lookups ?? {}) as Record<string, unknown>,
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

/** Appends what this step did and its settled status (the run is locked or new). */
export async function recordStep(tx: TenantTx, tenantId: string, runId: string, step: Step) {
  await tx
    .update(runs)
    .set({
      path: sql`${runs.path} || ${JSON.stringify(step.path)}::jsonb`,
      ...(Object.keys(step.lookups).length > 0
        ? { lookups: sql`${runs.lookups} || ${JSON.stringify(step.lookups)}::jsonb` }
        : {}),
      pending: step.settled.pending,
      status: step.settled.status,
      currentNode: step.currentNode,
      error: step.error ?? null,
      updatedAt: sql`now()`,
      finishedAt: step.settled.finished ? sql`now()` : null,
    })
    .where(and(eq(runs.tenantId, tenantId), eq(runs.id, runId)));
}
