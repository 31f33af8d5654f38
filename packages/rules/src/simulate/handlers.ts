import type { PlanNode } from '../compiler/plan.ts';
import { simulateAction } from './actions.ts';
import { conditionCount, conditionIf, limitFrequency } from './conditions.ts';
import type { SimHandler } from './handler.ts';
import { waitDelay, waitEvent } from './waits.ts';

// The same dispatch as the engine's nodes/index.ts, so a node type the engine cannot run fails
// here too instead of simulating something that would never happen.

const passThrough: SimHandler = () => ({ output: 'next', detail: {} });

const handlers: Record<string, SimHandler> = {
  'trigger.event': passThrough,
  'condition.if': conditionIf,
  'condition.count': conditionCount,
  'limit.frequency': limitFrequency,
  'wait.delay': waitDelay,
  'wait.event': waitEvent,
};

const genericCondition: SimHandler = (loaded, ctx) => {
  const rules = Object.values(loaded.rules);
  if (rules.length !== 1) throw new Error(`${loaded.node.type} needs an engine handler`);
  return conditionIf({ ...loaded, rules: { logic: rules[0]! } }, ctx);
};

export function handlerFor(node: PlanNode): SimHandler {
  if (Object.hasOwn(handlers, node.type)) return handlers[node.type] as SimHandler;
  if (node.kind === 'action') return simulateAction;
  if (node.kind === 'condition') return genericCondition;
  return () => {
    throw new Error(`No engine handler for ${node.type}@${node.version}`);
  };
}
