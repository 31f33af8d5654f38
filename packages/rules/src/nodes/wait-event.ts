import { defineNodeType } from '../define-node-type.ts';
import { f } from '../fields.ts';

export const waitEvent = defineNodeType({
  type: 'wait.event',
  version: 1,
  kind: 'wait',
  label: 'Wait for event',
  description: "Waits for the user's next matching event, or times out.",
  icon: 'hourglass',
  outputs: ['received', 'timeout'],
  config: {
    event: f.eventName({ label: 'Event', placeholder: 'order_completed' }),
    match: f.jsonLogic({
      label: 'Matching',
      help: '`event` is the awaited event, `trigger` the event that started the run',
      optional: true,
    }),
    timeout: f.duration({ label: 'Give up after', default: 'P1D' }),
  },
  events: (config) => [{ event: config.event, as: 'wait' }],
});
