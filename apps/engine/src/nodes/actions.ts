import { createHash } from 'node:crypto';
import type { NodeHandler } from './node-handler.ts';

/** What an action job carries: everything the executor needs, templates already rendered. */
export interface ActionJob {
  tenantId: string;
  runId: string;
  workflowId: string;
  version: number;
  nodeId: string;
  type: string;
  /** Stable per run and node: the webhook-id receivers deduplicate on, the same on every retry. */
  actionId: string;
  config: Record<string, unknown>;
  /** Times this action was rescheduled for a Retry-After; pg-boss counts ordinary retries. */
  reschedules?: number;
  /** Set on a rescheduled copy: the attempts the action has in all (the first job's retries + 1)… */
  attemptBudget?: number;
  /** …counted from this many failures recorded before the first job (earlier runs of a replay). */
  attemptBase?: number;
}

export function actionIdFor(runId: string, nodeId: string): string {
  return `msg_${createHash('sha256').update(`${runId}\u0000${nodeId}`).digest('base64url').slice(0, 26)}`;
}

/**
 * Every action type the same way: render the node's template fields against the run's data and
 * enqueue a job on the type's own queue. The executor does the side effect, with retries.
 */
export const enqueueAction: NodeHandler = async ({ node, templates }, { tx, tenantId, runId, plan, data, jobs }) => {
  const config: Record<string, unknown> = { ...node.config };
  for (const [field, render] of Object.entries(templates)) config[field] = render(data);
  const job: ActionJob = {
    tenantId,
    runId,
    workflowId: plan.workflowId,
    version: plan.version,
    nodeId: node.id,
    type: node.type,
    actionId: actionIdFor(runId, node.id),
    config,
  };
  await jobs.send(tx, node.type, job);
  const rendered = Object.fromEntries(Object.keys(templates).map((k) => [k, config[k]]));
  return { output: node.next.next ? 'next' : undefined, detail: { actionId: job.actionId, rendered } };
};
