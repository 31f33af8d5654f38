import { runs, type TenantTx } from '@tripwire/db';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { type RunRow, runRowColumns, type Step, toRunRow } from './runs.ts';

// lockRun and recordStep for many runs of one tenant, one statement each (the resume worker's batches).

/** The runs, locked in id order (two batches locking overlapping runs cannot deadlock). */
export async function lockRuns(tx: TenantTx, tenantId: string, runIds: string[]): Promise<Map<string, RunRow>> {
  const rows = await tx
    .select(runRowColumns)
    .from(runs)
    .where(and(eq(runs.tenantId, tenantId), inArray(runs.id, runIds)))
    .orderBy(asc(runs.id))
    .for('update');
  return new Map(rows.map((r) => [r.id, toRunRow(r)]));
}

/** recordStep for each run; at most one step per run (an UPDATE applies one source row per target row). */
export async function recordSteps(tx: TenantTx, tenantId: string, steps: { runId: string; step: Step }[]) {
  if (steps.length === 0) return;
  const values = sql.join(
    steps.map(
      ({ runId, step }) =>
        sql`(${runId}::uuid, ${JSON.stringify(step.path)}::jsonb, ${JSON.stringify(step.lookups)}::jsonb, ${step.settled.pending}::int, ${step.settled.status}::text, ${step.settled.finished}::boolean, ${step.currentNode}::text, ${step.error ?? null}::text)`,
    ),
    sql`, `,
  );
  await tx.execute(sql`
    update ${runs} set
      path = ${runs.path} || v.path,
      lookups = ${runs.lookups} || v.lookups,
      pending = v.pending,
      status = v.status,
      current_node = v.current_node,
      error = v.error,
      updated_at = now(),
      finished_at = case when v.finished then now() end
    from (values ${values}) as v(id, path, lookups, pending, status, finished, current_node, error)
    where ${runs.tenantId} = ${tenantId}::uuid and ${runs.id} = v.id`);
}
