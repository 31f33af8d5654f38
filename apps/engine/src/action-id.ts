import { createHash } from 'node:crypto';

/** Stable per run and node: the webhook-id receivers deduplicate on, the same on every retry and replay. */
export function actionIdFor(runId: string, nodeId: string): string {
  return `msg_${createHash('sha256').update(`${runId}\u0000${nodeId}`).digest('base64url').slice(0, 26)}`;
}
