import { describeLogic } from '../conditions/describe-logic.ts';
import { defineNodeType } from '../define-node-type.ts';
import { describeDuration } from '../duration/human-duration.ts';
import { f } from '../fields.ts';
import { andThen } from '../runtime/maybe-async.ts';
import type { StepOutcome } from '../runtime/types.ts';

export const conditionCount = defineNodeType({
  type: 'condition.count',
  version: 1,
  kind: 'condition',
  label: 'Count events',
  description: 'True when the user has at least N matching events within a window, the current one included.',
  icon: 'hash',
  outputs: ['true', 'false'],
  config: {
    event: f.eventName({ label: 'Event', placeholder: 'payment_failed' }),
    atLeast: f.integer({ label: 'At least', min: 1, max: 10_000, default: 3 }),
    within: f.duration({ label: 'Within', default: 'PT10M' }),
    filter: f.jsonLogic({ label: 'Only count events where', optional: true }),
  },
  runtime: { readsState: true },
  // Every such event is counted as it arrives (not only triggering ones), so the node listens to it.
  events: (config) => [{ event: config.event, as: 'count', rule: 'filter' }],
  // andThen, not async/await: a replay's state answers at once and its walk runs synchronously.
  step(node, { countsUntil, state }) {
    const { atLeast } = node.config;
    const window = { from: countsUntil - (node.durations.within as number), to: countsUntil };
    return andThen(state.countEvents(node.id, window), (count): StepOutcome<'true' | 'false'> => {
      const result = count >= atLeast;
      return {
        output: result ? 'true' : 'false',
        detail: {
          count,
          atLeast,
          result,
          window: { from: new Date(window.from).toISOString(), to: new Date(window.to).toISOString() },
        },
      };
    });
  },
  summary: (c) =>
    `at least ${c.atLeast ?? '?'}× “${c.event ?? '?'}”${c.filter === undefined ? '' : ` where ${describeLogic(c.filter)}`} within ${describeDuration(c.within)}`,
});
