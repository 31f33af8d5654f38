import { createHash } from 'node:crypto';

/**
 * The webhook-id receivers deduplicate on: the same on every retry and redelivery of the work that
 * sent it, and different for every time a run reaches the node. A node reached by several branches
 * (a join), or again after a wait resumed, sends once per arrival; `cause` names the walk (the event
 * or job that resumed the run; none for the walk from the trigger) and `occurrence` counts the
 * node's earlier arrivals in that walk. The first arrival from the trigger keeps the plain id.
 */
export function actionIdFor(runId: string, nodeId: string, cause?: string, occurrence = 0): string {
  const seed =
    cause === undefined && occurrence === 0
      ? `${runId}\u0000${nodeId}`
      : `${runId}\u0000${nodeId}\u0000${cause ?? ''}\u0000${occurrence}`;
  return `msg_${createHash('sha256').update(seed).digest('base64url').slice(0, 26)}`;
}
