import { routeEvent } from '../compiler/plan.ts';
import { truthy } from '../logic/runtime.ts';
import type { SimHandler } from './handler.ts';
import { ownCount } from './input.ts';
import { loadNode } from './loaded-node.ts';
import type { SimEventData, SimRun } from './types.ts';

export const conditionIf: SimHandler = ({ rules }, { data }) => {
  const result = truthy(rules.logic?.(data));
  return { output: result ? 'true' : 'false', detail: { result } };
};

/**
 * The engine marks every event routed to a count node whose filter passes (the filter sees the
 * event as both `event` and `trigger`), before any run walks; so the current event is in the
 * count exactly when it would have been marked.
 */
function marksCurrent(run: SimRun, nodeId: string, event: SimEventData, user: Record<string, unknown>): boolean {
  if (!routeEvent(run.plan, event.name)?.counts.includes(nodeId)) return false;
  const node = run.plan.nodes[nodeId];
  const filter = node ? loadNode(node).rules.filter : undefined;
  return !filter || truthy(filter({ event, trigger: event, user }));
}

export const conditionCount: SimHandler = ({ node }, { run, data }) => {
  const atLeast = node.config.atLeast as number;
  const includesCurrent = marksCurrent(run, node.id, data.event, data.user);
  const count = ownCount(run.input.counts, node.id) + (includesCurrent ? 1 : 0);
  const result = count >= atLeast;
  return { output: result ? 'true' : 'false', detail: { count, atLeast, result, includesCurrent } };
};

/** Passes in the window ending now: the prior ones given, plus those this run made. */
export const limitFrequency: SimHandler = ({ node }, { run, now }) => {
  const max = node.config.max as number;
  const per = node.durations.per as number;
  const mine = run.marks.get(node.id) ?? [];
  const passes = ownCount(run.input.frequency, node.id) + mine.filter((t) => t > now - per && t <= now).length;
  if (passes >= max) return { output: 'limited', detail: { passes, max } };
  // The engine's mark is keyed by time and run, so a second pass in the same walk adds nothing.
  if (!mine.includes(now)) run.marks.set(node.id, [...mine, now]);
  return { output: 'pass', detail: { passes: passes + 1, max } };
};
