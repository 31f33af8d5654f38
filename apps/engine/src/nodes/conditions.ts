import { truthy } from '@tripwire/rules';
import { addMarkBelow, countMarks } from '../state/marks.ts';
import type { NodeHandler } from './node-handler.ts';

export const conditionIf: NodeHandler = async ({ rules }, { data }) => {
  const result = truthy(rules.logic?.(data));
  return { output: result ? 'true' : 'false', detail: { result } };
};

/**
 * condition.count: the matching events were recorded as they arrived (the current one included,
 * see event-evaluator), so this only counts them inside the window ending at the current event,
 * or, after a wait.delay or a wait.event timeout, at the moment the run resumed.
 */
export const conditionCount: NodeHandler = async ({ node }, { tx, tenantId, userId, plan, data, countsUntil }) => {
  const atLeast = node.config.atLeast as number;
  const within = node.durations.within as number;
  const n = await countMarks(
    tx,
    { tenantId, userId, workflowId: plan.workflowId, nodeId: node.id },
    countsUntil ?? new Date(data.event.timestamp),
    within,
  );
  return { output: n >= atLeast ? 'true' : 'false', detail: { count: n, atLeast } };
};

/** limit.frequency: counts this node's passes for the user in the window ending now. */
export const limitFrequency: NodeHandler = async ({ node }, { tx, tenantId, userId, plan, runId, now }) => {
  const max = node.config.max as number;
  const key = { tenantId, userId, workflowId: plan.workflowId, nodeId: node.id };
  const passes = await addMarkBelow(tx, key, now, node.durations.per as number, max, runId);
  if (passes >= max) return { output: 'limited', detail: { passes, max } };
  return { output: 'pass', detail: { passes: passes + 1, max } };
};
