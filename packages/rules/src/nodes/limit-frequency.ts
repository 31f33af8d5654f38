import { defineNodeType } from '../define-node-type.ts';
import { describeDuration } from '../duration/human-duration.ts';
import { f } from '../fields.ts';
import { andThen } from '../runtime/maybe-async.ts';
import type { StepOutcome } from '../runtime/types.ts';

export const limitFrequency = defineNodeType({
  type: 'limit.frequency',
  version: 1,
  kind: 'control',
  label: 'Frequency cap',
  description: 'At most N passes per user per window for this workflow; the rest leave by `limited`.',
  icon: 'gauge',
  outputs: ['pass', 'limited'],
  config: {
    max: f.integer({ label: 'At most', min: 1, max: 10_000, default: 1 }),
    per: f.duration({ label: 'Per', default: 'P1D' }),
  },
  runtime: { readsState: true, writesState: true },
  // andThen, not async/await: a replay's state answers at once and its walk runs synchronously.
  step(node, { now, state }) {
    const { max } = node.config;
    const window = { from: now - (node.durations.per as number), to: now };
    return andThen(state.reservePass(node.id, window, max), ({ passes, oldest }): StepOutcome<'pass' | 'limited'> => {
      if (passes < max) return { output: 'pass', detail: { passes: passes + 1, max } };
      // The cap frees a slot when the oldest pass in the window leaves it.
      const until = oldest === null ? undefined : new Date(oldest + (node.durations.per as number)).toISOString();
      return { output: 'limited', detail: { passes, max, ...(until ? { until } : {}) } };
    });
  },
  summary: (c) => `at most ${c.max ?? '?'} per ${describeDuration(c.per)}`,
});
