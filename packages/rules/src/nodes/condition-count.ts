import { defineNodeType } from '../define-node-type.ts';
import { f } from '../fields.ts';

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
  // The engine keeps per-user counts, so it must see every such event, not only triggering ones.
  events: (config) => [{ event: config.event, as: 'count' }],
});
