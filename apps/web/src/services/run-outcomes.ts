import { actionDeliveries, type TenantTx } from '@tripwire/db';
import type { PathEntry } from '@tripwire/rules';
import { and, desc, eq, inArray } from 'drizzle-orm';

// What happened to each action a run sent, from the engine's record of every attempt
// (action_deliveries): the run's path names each action it sent (detail.actionId); the action's
// latest attempt says delivered, retrying or failed for good; none yet means queued. One function,
// used by the run list, the trace and the workflow list.

/** skipped: not sent because the user withdrew consent while it was queued. */
export type ActionState = 'delivered' | 'retrying' | 'failed' | 'queued' | 'skipped';
export type RunOutcome = ActionState | 'no_actions';

export interface ActionOutcome {
  nodeId: string;
  actionId: string;
  state: ActionState;
  attempts: number;
  lastStatus: number | null;
  error: string | null;
}

interface RunRef {
  id: string;
  path: unknown;
}

export function sentActions(path: unknown): { nodeId: string; actionId: string }[] {
  if (!Array.isArray(path)) return [];
  return (path as PathEntry[]).flatMap((e) =>
    typeof e?.nodeId === 'string' && typeof e.detail?.actionId === 'string'
      ? [{ nodeId: e.nodeId, actionId: e.detail.actionId }]
      : [],
  );
}

/** The worst state wins: one failed webhook makes the run's actions "failed" however many others arrived. */
export function overall(actions: ActionOutcome[]): RunOutcome {
  if (actions.length === 0) return 'no_actions';
  for (const state of ['failed', 'retrying', 'queued'] as const)
    if (actions.some((a) => a.state === state)) return state;
  return actions.every((a) => a.state === 'skipped') ? 'skipped' : 'delivered';
}

const STATE: Record<string, ActionState> = {
  delivered: 'delivered',
  retrying: 'retrying',
  rescheduled: 'retrying',
  failed: 'failed',
  skipped: 'skipped',
};

export async function actionOutcomes(
  tx: TenantTx,
  { tenantId, runs }: { tenantId: string; runs: RunRef[] },
): Promise<Map<string, { outcome: RunOutcome; actions: ActionOutcome[] }>> {
  const sent = runs.map((r) => ({ runId: r.id, actions: sentActions(r.path) }));
  const runIds = sent.filter((s) => s.actions.length > 0).map((s) => s.runId);
  const latest =
    runIds.length === 0
      ? []
      : await tx
          .selectDistinctOn([actionDeliveries.actionId], {
            actionId: actionDeliveries.actionId,
            attempt: actionDeliveries.attempt,
            outcome: actionDeliveries.outcome,
            httpStatus: actionDeliveries.httpStatus,
            error: actionDeliveries.error,
          })
          .from(actionDeliveries)
          .where(and(eq(actionDeliveries.tenantId, tenantId), inArray(actionDeliveries.runId, runIds)))
          .orderBy(actionDeliveries.actionId, desc(actionDeliveries.attempt));
  const byAction = new Map(latest.map((d) => [d.actionId, d]));
  const result = new Map<string, { outcome: RunOutcome; actions: ActionOutcome[] }>();
  for (const { runId, actions } of sent) {
    const outcomes = actions.map(({ nodeId, actionId }): ActionOutcome => {
      const d = byAction.get(actionId);
      return {
        nodeId,
        actionId,
        state: d ? (STATE[d.outcome] ?? 'retrying') : 'queued',
        attempts: d?.attempt ?? 0,
        lastStatus: d?.httpStatus ?? null,
        error: d?.error ?? null,
      };
    });
    result.set(runId, { outcome: overall(outcomes), actions: outcomes });
  }
  return result;
}
