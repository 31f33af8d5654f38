import type { LoadedNode } from './loaded-plan.ts';
import { valuesRead } from './rule-values.ts';
import type { EventData, RuleData } from './types.ts';
import type { PathEntry } from './walk.ts';

// The path entries a run gets where the platform, not a step, moved it on: its start and each
// resume. Written once, so the engine's runs and the replays' runs read the same.

/** The trigger's entry: the event that started the run and what its filter read. */
export function startEntry(trigger: LoadedNode, event: EventData, data: RuleData, at: number): PathEntry {
  const filter = trigger.listens.trigger;
  return {
    nodeId: trigger.id,
    type: trigger.def.type,
    at: new Date(at).toISOString(),
    output: 'next',
    detail: { messageId: event.messageId, ...(filter ? { filter: true, read: valuesRead(filter, data) } : {}) },
  };
}

/** A wait's entry when the run walks on from it. */
export function resumeEntry(
  node: LoadedNode,
  output: string,
  at: number,
  by: { resumedBy: 'delay' | 'timeout' } | { messageId: string },
): PathEntry {
  return { nodeId: node.id, type: node.def.type, at: new Date(at).toISOString(), output, detail: { ...by } };
}

/** The targets of a node's output (own keys only: outputs are user-visible names). */
export function targets(node: LoadedNode, output: string): string[] {
  return Object.hasOwn(node.plan.next, output) ? (node.plan.next[output] ?? []) : [];
}
