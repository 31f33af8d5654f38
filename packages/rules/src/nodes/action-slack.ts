import { defineNodeType } from '../define-node-type.ts';
import { f } from '../fields.ts';

/** The worked example of docs/extending.md: a whole new action is this file and its executor. */
export const actionSlack = defineNodeType({
  type: 'action.slack',
  version: 1,
  kind: 'action',
  label: 'Post to Slack',
  description: 'Posts a message to a Slack channel through an incoming webhook.',
  icon: 'message-square',
  outputs: ['next'],
  config: {
    webhookUrl: f.url({
      label: 'Incoming webhook URL',
      placeholder: 'https://hooks.slack.com/services/…',
      help: 'Slack: Apps › Incoming Webhooks › Add to a channel',
      secret: true,
    }),
    text: f.template({ label: 'Message', placeholder: 'Order {{ event.properties.orderId }} failed to pay' }),
    onlyIf: f.jsonLogic({ label: 'Only if', optional: true }),
  },
  summary: (c) => (typeof c.text === 'string' ? `post “${c.text.slice(0, 40)}”` : 'write a message'),
});
