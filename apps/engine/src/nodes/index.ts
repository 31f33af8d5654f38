import type { LoadedNode } from '../compiled-plan.ts';
import { enqueueAction } from './actions.ts';
import { conditionCount, conditionIf, limitFrequency } from './conditions.ts';
import { type NodeHandler, UnsupportedNode } from './node-handler.ts';
import { waitDelay, waitEvent } from './waits.ts';

const passThrough: NodeHandler = async () => ({ output: 'next' });

// Node types whose behaviour is more than their definition says. Everything else runs by kind:
// actions are enqueued generically, and a condition with one JSON Logic field is evaluated to
// true/false, so most new node types need no engine code beyond an action's executor.
const handlers: Record<string, NodeHandler> = {
  'trigger.event': passThrough,
  'condition.if': conditionIf,
  'condition.count': conditionCount,
  'limit.frequency': limitFrequency,
  'wait.delay': waitDelay,
  'wait.event': waitEvent,
};

// Handlers that read or write Postgres while a run walks through them. The others only compute or
// enqueue jobs (which a unit of work buffers), so a run through only those can be walked first and
// recorded afterwards, together with its event's claim.
const TOUCHES_STATE = new Set(['condition.count', 'limit.frequency', 'wait.event']);
export const touchesState = (type: string) => TOUCHES_STATE.has(type);

const genericCondition: NodeHandler = async (loaded, ctx) => {
  const rules = Object.values(loaded.rules);
  if (rules.length !== 1) throw new UnsupportedNode(`${loaded.node.type} needs an engine handler`);
  return conditionIf({ ...loaded, rules: { logic: rules[0]! } }, ctx);
};

export function handlerFor(loaded: LoadedNode): NodeHandler {
  const own = handlers[loaded.node.type];
  if (own) return own;
  if (loaded.node.kind === 'action') return enqueueAction;
  if (loaded.node.kind === 'condition') return genericCondition;
  return async () => {
    throw new UnsupportedNode(`No engine handler for ${loaded.node.type}@${loaded.node.version}`);
  };
}
