import { defineNodeType } from '../define-node-type.ts';
import { describeDuration } from '../duration/human-duration.ts';
import { f } from '../fields.ts';

export const waitDelay = defineNodeType({
  type: 'wait.delay',
  version: 1,
  kind: 'wait',
  label: 'Wait',
  description: 'Pauses the run for a fixed time.',
  icon: 'timer',
  outputs: ['next'],
  config: {
    duration: f.duration({ label: 'Wait for', default: 'PT1H' }),
  },
  runtime: { resumes: true },
  step(node, { now }) {
    const until = now + (node.durations.duration as number);
    return { wait: { kind: 'delay', until, output: 'next' }, detail: { until: new Date(until).toISOString() } };
  },
  summary: (c) => `wait ${describeDuration(c.duration)}`,
});
