import { truthy } from '../logic/runtime.ts';
import type { EventData, RuleData, RuntimeRule } from './types.ts';

/**
 * Whether an event applies to a listening node (a trigger's filter, a counter's filter, a wait's
 * match). A rule that throws on this event's data does not match: one bad value must not take the
 * event away from the tenant's other workflows. `onError` is told (a metric, a trace).
 */
export function accepts(
  rule: RuntimeRule | null | undefined,
  data: RuleData,
  onError?: (error: unknown) => void,
): boolean {
  if (!rule) return true;
  try {
    return truthy(rule.run(data));
  } catch (error) {
    onError?.(error);
    return false;
  }
}

// What rules see at each point of a run. Resumed after a delay or a timeout, a run sees its
// trigger as `event`; resumed by an awaited event, that event. `lookups` are what the run's
// "Look up" nodes answered before it parked (`lookup.<nodeId>`).

const withLookups = (lookups: Record<string, unknown> | undefined) =>
  lookups && Object.keys(lookups).length > 0 ? { lookup: lookups } : {};

export const startData = (event: EventData, user: Record<string, unknown>): RuleData => ({
  event,
  trigger: event,
  user,
});

export const receivedData = (
  event: EventData,
  trigger: EventData,
  user: Record<string, unknown>,
  lookups?: Record<string, unknown>,
): RuleData => ({ event, trigger, user, ...withLookups(lookups) });

export const resumedData = (
  trigger: EventData,
  user: Record<string, unknown>,
  lookups?: Record<string, unknown>,
): RuleData => ({ event: trigger, trigger, user, ...withLookups(lookups) });
