import { defineNodeType } from '../define-node-type.ts';
import { f } from '../fields.ts';

export const actionKafka = defineNodeType({
  type: 'action.kafka',
  version: 1,
  kind: 'action',
  label: 'Publish to Kafka',
  description: "Produces a message to a topic in the workspace's own Kafka namespace (tenant.<workspace id>.<topic>).",
  icon: 'send',
  outputs: ['next'],
  config: {
    topic: f.kafkaTopic({
      label: 'Topic',
      help: 'Published as tenant.<workspace id>.<topic>; topics starting with tripwire. or __ are reserved',
    }),
    key: f.template({ label: 'Key', optional: true, placeholder: '{{ event.userId }}' }),
    value: f.template({ label: 'Value', json: true, optional: true }),
  },
  summary: (c) => (c.topic ? `to topic “${c.topic}”` : 'choose a topic'),
});
