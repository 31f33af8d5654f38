import { defineNodeType } from '../define-node-type.ts';
import { f } from '../fields.ts';

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
});
