import { truthy } from '@tripwire/rules';
import type { LoadedNode } from './compiled-plan.ts';
import type { EventData, EventEnvelope } from './envelope.ts';
import type { ProfileCache } from './state/profiles.ts';
import type { UnitOfWork } from './unit-of-work.ts';
import type { Interest, Route } from './workflow-cache.ts';

/** What an event does, decided by its filters alone, before any state is touched. */
export interface Decision {
  /** condition.count nodes whose filter the event passes: it adds to their counters. */
  counts: Interest[];
  /** Triggers whose filter the event passes: each starts a run. */
  triggers: Interest[];
  /** Some filter read the user's profile. */
  readProfile: boolean;
}

const NO_USER: Record<string, unknown> = Object.freeze({});

/**
 * Evaluates the trigger and count filters routed to an event. Filters read only the event and the
 * user's traits, so this can run before the event is claimed; the profile is loaded only for a
 * filter that reads `user.*` (and then from the cache when it can).
 */
/**
 * Runs a rule on an event. A rule that throws on this event's data (a value whose conversion
 * fails, say) does not match: it must not take the event away from the tenant's other workflows.
 */
export function ruleMatches(
  rule: (data: unknown) => unknown,
  data: unknown,
  onError: (error: unknown) => void,
): boolean {
  try {
    return truthy(rule(data));
  } catch (error) {
    onError(error);
    return false;
  }
}

export function createDecider(profiles: ProfileCache, onRuleError: (node: LoadedNode, error: unknown) => void) {
  async function passes(unit: UnitOfWork, loaded: LoadedNode, e: EventEnvelope, data: EventData, d: Decision) {
    const filter = loaded.rules.filter;
    if (!filter) return true;
    let user = NO_USER;
    if (loaded.userRules.has('filter')) {
      d.readProfile = true;
      user =
        profiles.peek(e.tenantId, e.userId) ?? (await profiles.get(await unit.enter(e.tenantId), e.tenantId, e.userId));
    }
    return ruleMatches(filter, { event: data, trigger: data, user }, (error) => onRuleError(loaded, error));
  }

  return async function decide(unit: UnitOfWork, e: EventEnvelope, route: Route, data: EventData): Promise<Decision> {
    const d: Decision = { counts: [], triggers: [], readProfile: false };
    for (const interest of route.counts) {
      const loaded = interest.plan.nodes.get(interest.nodeId);
      if (!loaded || (await passes(unit, loaded, e, data, d))) d.counts.push(interest);
    }
    for (const interest of route.triggers) {
      const loaded = interest.plan.nodes.get(interest.nodeId);
      if (loaded && (await passes(unit, loaded, e, data, d))) d.triggers.push(interest);
    }
    return d;
  };
}
