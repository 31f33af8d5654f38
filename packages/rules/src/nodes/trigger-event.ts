import { describeLogic } from '../conditions/describe-logic.ts';
import { defineNodeType } from '../define-node-type.ts';
import { f } from '../fields.ts';

export const triggerEvent = defineNodeType({
  type: 'trigger.event',
  version: 1,
  kind: 'trigger',
  label: 'When an event arrives',
  description: 'Starts a run for each matching event.',
  icon: 'zap',
  outputs: ['next'],
  config: {
    event: f.eventName({ label: 'Event', placeholder: 'order_completed' }),
    filter: f.jsonLogic({ label: 'Only when', help: 'Optional condition on the event and the user', optional: true }),
  },
  events: (config) => [{ event: config.event, as: 'trigger', rule: 'filter' }],
  summary: (c) =>
    c.event ? `on “${c.event}”${c.filter === undefined ? '' : ` when ${describeLogic(c.filter)}`}` : 'choose an event',
});
