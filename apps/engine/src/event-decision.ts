import type { EventEnvelope } from '@tripwire/rules';
import { accepts, type EventData, type LoadedNode, type LoadedRule, startData } from '@tripwire/rules';
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
 * Evaluates the trigger and count filters routed to an event (the rules the node definitions name
 * for those roles). Filters read only the event and the user's traits, so this runs before the
 * event is claimed; the profile is loaded only for a filter that reads `user.*`.
 */
export function createDecider(profiles: ProfileCache, onRuleError: (node: LoadedNode, error: unknown) => void) {
  async function passes(
    unit: UnitOfWork,
    node: LoadedNode,
    rule: LoadedRule | null | undefined,
    e: EventEnvelope,
    event: EventData,
    d: Decision,
  ) {
    if (!rule) return true;
    let user = NO_USER;
    if (rule.readsUser) {
      d.readProfile = true;
      user =
        profiles.peek(e.tenantId, e.userId) ?? (await profiles.get(await unit.enter(e.tenantId), e.tenantId, e.userId));
    }
    return accepts(rule, startData(event, user), (error) => onRuleError(node, error));
  }
  return async function decide(unit: UnitOfWork, e: EventEnvelope, route: Route, event: EventData): Promise<Decision> {
    const d: Decision = { counts: [], triggers: [], readProfile: false };
    for (const interest of route.counts) {
      const node = interest.plan.nodes.get(interest.nodeId);
      if (!node || (await passes(unit, node, node.listens.count, e, event, d))) d.counts.push(interest);
    }
    for (const interest of route.triggers) {
      const node = interest.plan.nodes.get(interest.nodeId);
      if (node && (await passes(unit, node, node.listens.trigger, e, event, d))) d.triggers.push(interest);
    }
    return d;
  };
}
