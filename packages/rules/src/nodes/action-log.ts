import { defineNodeType } from '../define-node-type.ts';
import { f } from '../fields.ts';

export const actionLog = defineNodeType({
  type: 'action.log',
  version: 1,
  kind: 'action',
  label: 'Log',
  description: 'Prints a debug line in the run history.',
  icon: 'terminal',
  outputs: ['next'],
  config: {
    message: f.template({ label: 'Message', optional: true, placeholder: 'Reached {{ event.name }}' }),
  },
  summary: (c) => (c.message ? `log “${c.message}”` : 'log a line'),
});
