import { defineNodeType } from '../define-node-type.ts';
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
});
