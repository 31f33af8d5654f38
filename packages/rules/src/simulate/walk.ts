import { handlerFor } from './handlers.ts';
import { errorMessage, iso, own } from './input.ts';
import { loadNode } from './loaded-node.ts';
import type { SimRuleData, SimRun, SimStep } from './types.ts';

/** Nodes run by one engine transaction: a new run, or a run resumed after a wait. */
export interface Walk {
  at: number;
  data: SimRuleData;
  start: string[];
}

/** The engine's per-walk cap (run-walker.ts). */
const MAX_STEPS = 1000;
/** A DAG of diamonds can fan out exponentially; this keeps the browser responsive. */
export const MAX_TOTAL_STEPS = 10_000;

/**
 * Breadth-first like the engine's run-walker. A wait ends its branch in this walk and parks the
 * branch's continuation in `parked`; an error ends the whole walk, as it fails the engine's run.
 * Returns the error, if any.
 */
export function walk(run: SimRun, w: Walk, steps: SimStep[], parked: Walk[]): string | undefined {
  const queue = [...w.start];
  const at = iso(w.at);
  for (let n = 0; queue.length > 0; n++) {
    const id = queue.shift() as string;
    const node = own(run.plan.nodes, id);
    if (!node) return `run stopped at unknown node ${id}`;
    if (n >= MAX_STEPS || steps.length >= MAX_TOTAL_STEPS) return `run stopped after too many steps at ${id}`;
    try {
      const outcome = handlerFor(node)(loadNode(node), { run, data: w.data, now: w.at });
      steps.push({
        nodeId: id,
        type: node.type,
        at,
        ...(outcome.output ? { output: outcome.output } : {}),
        detail: outcome.detail,
      });
      if (!outcome.output) continue;
      const targets = own(node.next, outcome.output) ?? [];
      if (outcome.resume) parked.push({ ...outcome.resume, start: targets });
      else queue.push(...targets);
    } catch (error) {
      const message = errorMessage(error);
      steps.push({ nodeId: id, type: node.type, at, detail: { error: message } });
      return message;
    }
  }
  return undefined;
}
