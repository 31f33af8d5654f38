import { truthy } from '../logic/runtime.ts';
import type { SimHandler, SimOutcome } from './handler.ts';
import { eventData, iso, own } from './input.ts';
import type { SimAwaitedEvent } from './types.ts';

// A resumed run walks on with the trigger as `event`, except after a received event, which
// becomes `event` (resume-worker vs event-evaluator in the engine).

export const waitDelay: SimHandler = ({ node }, { data, now }) => {
  const wouldWaitMs = node.durations.duration as number;
  const until = now + wouldWaitMs;
  return {
    output: 'next',
    detail: { wouldWaitMs, until: iso(until), simulatedWait: true },
    resume: { at: until, data: { ...data, event: data.trigger } },
  };
};

/** When the awaited event reaches the engine: its timestamp if that falls in the wait, else at once. */
function arrival(given: SimAwaitedEvent, now: number): number {
  const at = given.timestamp === undefined ? Number.NaN : Date.parse(given.timestamp);
  return Number.isNaN(at) || at < now ? now : at;
}

export const waitEvent: SimHandler = ({ node, rules }, { run, data, now }) => {
  const waitsFor = node.config.event as string;
  const timeoutMs = node.durations.timeout as number;
  const until = now + timeoutMs;
  const base = { waitsFor, timeoutMs, until: iso(until), simulatedWait: true };
  const timeout = (extra: Record<string, unknown> = {}): SimOutcome => ({
    output: 'timeout',
    detail: { ...base, ...extra },
    resume: { at: until, data: { ...data, event: data.trigger } },
  });

  const given = own(run.input.awaited, node.id);
  if (given === undefined || given === null) return timeout();
  const at = arrival(given, now);
  const event = eventData(
    { ...given, name: given.name ?? waitsFor, userId: given.userId ?? data.trigger.userId },
    at,
    `simulated-${node.id}`,
  );
  // The engine only offers a waiter events of its own name and user, arriving before it expires.
  if (event.name !== waitsFor) return timeout({ ignored: `The event given is ${event.name}, not ${waitsFor}` });
  if (event.userId !== data.trigger.userId) return timeout({ ignored: 'The event given is for another user' });
  if (at > until) return timeout({ ignored: 'The event given arrives after the timeout' });
  // In `match`, `event` is the awaited event and `trigger` the run's first event.
  const withEvent = { ...data, event };
  if (rules.match && !truthy(rules.match(withEvent))) return timeout({ match: false });
  return {
    output: 'received',
    detail: { ...base, ...(rules.match ? { match: true } : {}) },
    resume: { at, data: withEvent },
  };
};
