import { actionAttempts, deadLetters, type TenantTx } from '@tripwire/db';
import { and, eq, inArray } from 'drizzle-orm';

// What happened to each action a run sent, from what the engine records today: the run's path
// names each action it sent (detail.actionId); a dead letter means it failed for good; a failed
// attempt without one means it is being retried; neither means delivered (or still in flight).
// One function, so it can switch to the engine's own per-action records when they exist.

export type ActionState = 'delivered' | 'retrying' | 'failed';
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

function sentActions(path: unknown): { nodeId: string; actionId: string }[] {
  if (!Array.isArray(path)) return [];
  return path.flatMap((entry) => {
    const e = entry as { nodeId?: unknown; detail?: { actionId?: unknown } };
    return typeof e.nodeId === 'string' && typeof e.detail?.actionId === 'string'
      ? [{ nodeId: e.nodeId, actionId: e.detail.actionId }]
      : [];
  });
}

/** The worst state wins: one failed webhook makes the run "failed" however many others arrived. */
export function overall(actions: ActionOutcome[]): RunOutcome {
  if (actions.length === 0) return 'no_actions';
  if (actions.some((a) => a.state === 'failed')) return 'failed';
  if (actions.some((a) => a.state === 'retrying')) return 'retrying';
  return 'delivered';
}

export async function actionOutcomes(
  tx: TenantTx,
  { tenantId, runs }: { tenantId: string; runs: RunRef[] },
): Promise<Map<string, { outcome: RunOutcome; actions: ActionOutcome[] }>> {
  const sent = runs.map((r) => ({ runId: r.id, actions: sentActions(r.path) }));
  const actionIds = [...new Set(sent.flatMap((s) => s.actions.map((a) => a.actionId)))];
  const [dead, attempts] =
    actionIds.length === 0
      ? [[], []]
      : await Promise.all([
          tx
            .select({ actionId: deadLetters.actionId, error: deadLetters.error, attempts: deadLetters.attempts })
            .from(deadLetters)
            .where(and(eq(deadLetters.tenantId, tenantId), inArray(deadLetters.actionId, actionIds))),
          tx
            .select({
              actionId: actionAttempts.actionId,
              attempts: actionAttempts.attempts,
              lastError: actionAttempts.lastError,
              lastStatus: actionAttempts.lastStatus,
            })
            .from(actionAttempts)
            .where(and(eq(actionAttempts.tenantId, tenantId), inArray(actionAttempts.actionId, actionIds))),
        ]);
  const deadBy = new Map(dead.map((d) => [d.actionId, d]));
  const attemptBy = new Map(attempts.map((a) => [a.actionId, a]));
  const result = new Map<string, { outcome: RunOutcome; actions: ActionOutcome[] }>();
  for (const { runId, actions } of sent) {
    const outcomes = actions.map(({ nodeId, actionId }): ActionOutcome => {
      const d = deadBy.get(actionId);
      const a = attemptBy.get(actionId);
      const state: ActionState = d ? 'failed' : a && a.attempts > 0 ? 'retrying' : 'delivered';
      return {
        nodeId,
        actionId,
        state,
        attempts: d?.attempts ?? a?.attempts ?? 0,
        lastStatus: a?.lastStatus ?? null,
        error: d?.error ?? a?.lastError ?? null,
      };
    });
    result.set(runId, { outcome: overall(outcomes), actions: outcomes });
  }
  return result;
}
