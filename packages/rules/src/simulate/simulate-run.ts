import { type ExecutionPlan, routeEvent } from '../compiler/plan.ts';
import { truthy } from '../logic/runtime.ts';
import { errorMessage, eventData, iso, own, userData } from './input.ts';
import { loadNode } from './loaded-node.ts';
import type { SimInput, SimResult, SimRuleData, SimStep } from './types.ts';
import { MAX_TOTAL_STEPS, type Walk, walk } from './walk.ts';

/**
 * What the engine would do with one event for a published plan, without touching anything:
 * state the engine would read (counts, frequency, awaited events) comes from `input`, waits are
 * skipped over, and actions are rendered but not sent.
 */
export function simulateRun(plan: ExecutionPlan, input: SimInput): SimResult {
  const now = (input.now ?? new Date()).getTime();
  const event = eventData(input.event, now);
  const trigger = own(plan.nodes, plan.trigger);
  if (!trigger) return { started: false, reason: 'The plan has no trigger node', steps: [] };
  if (!routeEvent(plan, event.name)?.triggers.includes(trigger.id)) {
    const expected = typeof trigger.config.event === 'string' ? `; it starts on "${trigger.config.event}"` : '';
    return { started: false, reason: `Event "${event.name}" does not start this workflow${expected}`, steps: [] };
  }

  const data: SimRuleData = { event, trigger: event, user: userData(plan, input.user) };
  const step = { nodeId: trigger.id, type: trigger.type, at: iso(now) };
  let filter: boolean | undefined;
  try {
    const rule = loadNode(trigger).rules.filter;
    filter = rule ? truthy(rule(data)) : undefined;
  } catch (error) {
    const message = errorMessage(error);
    return {
      started: false,
      reason: `The trigger filter failed: ${message}`,
      steps: [{ ...step, detail: { error: message } }],
      error: message,
    };
  }
  const detail = { messageId: event.messageId, ...(filter !== undefined ? { filter } : {}) };
  if (filter === false) {
    return { started: false, reason: 'The trigger filter is false for this event', steps: [{ ...step, detail }] };
  }

  const steps: SimStep[] = [{ ...step, output: 'next', detail }];
  const run = { plan, input, marks: new Map<string, number[]>() };
  const parked: Walk[] = [{ at: now, data, start: own(trigger.next, 'next') ?? [] }];
  let error: string | undefined;
  while (parked.length > 0) {
    if (steps.length >= MAX_TOTAL_STEPS) {
      error ??= `The simulation stopped after ${MAX_TOTAL_STEPS} steps`;
      break;
    }
    // Parked branches resume in time order; ties keep the order in which they parked.
    const earliest = parked.reduce((best, w, i) => (w.at < (parked[best] as Walk).at ? i : best), 0);
    const [next] = parked.splice(earliest, 1);
    error ??= walk(run, next as Walk, steps, parked);
  }
  return { started: true, steps, ...(error !== undefined ? { error } : {}) };
}
