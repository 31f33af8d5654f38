import { createRegistry } from '../registry.ts';
import { actionKafka } from './action-kafka.ts';
import { actionLog } from './action-log.ts';
import { actionWebhook } from './action-webhook.ts';
import { conditionCount } from './condition-count.ts';
import { conditionIf } from './condition-if.ts';
import { limitFrequency } from './limit-frequency.ts';
import { triggerEvent } from './trigger-event.ts';
import { waitDelay } from './wait-delay.ts';
import { waitEvent } from './wait-event.ts';

export const builtinNodeTypes = [
  triggerEvent,
  conditionIf,
  conditionCount,
  limitFrequency,
  waitDelay,
  waitEvent,
  actionWebhook,
  actionKafka,
  actionLog,
] as const;

/** Action types the engine must have an executor for (`satisfies Record<ActionType, Executor>`). */
export type ActionType = Extract<(typeof builtinNodeTypes)[number], { kind: 'action' }>['type'];

export const builtinRegistry = createRegistry(builtinNodeTypes);
