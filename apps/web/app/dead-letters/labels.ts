import { builtinNodeTypes } from '@tripwire/rules';

/** "Call a webhook" for the queue action.webhook (or action.webhook@2): the palette's own words. */
export function actionLabel(queue: string): string {
  const type = queue.split('@')[0];
  return builtinNodeTypes.find((t) => t.type === type)?.label ?? queue;
}

export const STATE_LABEL = { open: 'Needs attention', replayed: 'Replayed', discarded: 'Discarded' } as const;

export const REPLAY_LABEL = {
  queued: 'replay queued',
  delivering: 'delivering',
  delivered: 'delivered',
  failed: 'replay failed again',
  unknown: 'replay outcome no longer kept',
} as const;

export const ACTION_VERB: Record<string, string> = {
  'dead_letter.replay': 'replayed',
  'dead_letter.discard': 'discarded',
};

export const when = (d: Date | string) => new Date(d).toLocaleString();
