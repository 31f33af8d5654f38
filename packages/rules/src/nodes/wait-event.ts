import { describeLogic } from '../conditions/describe-logic.ts';
import { defineNodeType } from '../define-node-type.ts';
import { describeDuration } from '../duration/human-duration.ts';
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
  runtime: { registersWaiter: true, resumes: true },
  events: (config) => [{ event: config.event, as: 'wait', rule: 'match' }],
  step(node, { now }) {
    const until = now + (node.durations.timeout as number);
    const { event } = node.config;
    return {
      wait: { kind: 'event', event, until, received: 'received', timeout: 'timeout' },
      detail: { event, until: new Date(until).toISOString() },
    };
  },
  summary: (c) =>
    `until “${c.event ?? '?'}”${c.match === undefined ? '' : ` where ${describeLogic(c.match)}`}, give up after ${describeDuration(c.timeout)}`,
});
