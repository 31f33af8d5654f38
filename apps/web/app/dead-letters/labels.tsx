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

export const when = (d: Date | string) =>
  new Date(d).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });

/** "Edith Editor <edith@example.com>" -> "Edith Editor" (the full label is the title). */
export const shortActor = (label: string) => label.replace(/ <[^>]*>$/, '');

/** "webhook.server_error: the receiver answered 500" -> the sentence, then its code, smaller. */
export function splitError(error: string): { message: string; code: string | null } {
  const match = /^([a-z]+\.[a-z_]+): (.*)$/s.exec(error);
  return match ? { message: match[2] as string, code: match[1] as string } : { message: error, code: null };
}

export function ErrorText({ error }: { error: string }) {
  const { message, code } = splitError(error);
  return (
    <>
      {message} {code ? <code className="muted">{code}</code> : null}
    </>
  );
}
