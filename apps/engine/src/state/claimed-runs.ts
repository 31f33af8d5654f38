import { processedEvents, runs, TENANT_SETTING, type TenantTx } from '@tripwire/db';
import { sql } from 'drizzle-orm';
import type { NewRun, Step } from './runs.ts';

export interface WalkedRun {
  run: NewRun;
  step: Step;
}

/**
 * claimAs (see processed.ts) and insertWalkedRun for each run, in one statement: for an event whose
 * runs were walked before the claim because walking them touches no state. The runs are inserted
 * only when the claim is new; false when the key was claimed before (nothing was inserted).
 */
export async function claimWithRuns(
  tx: TenantTx,
  tenantId: string,
  key: string,
  userId: string,
  walked: WalkedRun[],
): Promise<boolean> {
  const values = sql.join(
    walked.map(
      ({ run, step }) =>
        sql`(${run.id}::uuid, ${run.workflowId}::uuid, ${run.version}::int, ${JSON.stringify(run.triggerEvent)}::jsonb,
        ${step.settled.status}, ${step.settled.pending}::int, ${JSON.stringify(step.path)}::jsonb,
        ${JSON.stringify(step.lookups)}::jsonb, ${step.currentNode}::text,
        ${step.error ?? null}::text, ${step.settled.finished}::boolean)`,
    ),
    sql`, `,
  );
  const { rows } = await tx.execute(sql`
    with tenant as materialized (select set_config(${TENANT_SETTING}, ${tenantId}, true)),
    claimed as (
      insert into ${processedEvents} (tenant_id, message_id) select ${tenantId}::uuid, ${key} from tenant
      on conflict do nothing returning tenant_id
    )
    insert into ${runs} (tenant_id, id, workflow_id, version, user_id, trigger_event, status, pending, path,
      lookups, current_node, error, finished_at)
    select claimed.tenant_id, r.id, r.workflow_id, r.version, ${userId}, r.trigger_event, r.status, r.pending, r.path,
      r.lookups, r.current_node, r.error, case when r.finished then now() end
    from claimed, (values ${values}) as r(id, workflow_id, version, trigger_event, status, pending, path,
      lookups, current_node, error, finished)
    returning id`);
  return rows.length > 0;
}
