import { defineNodeType } from '../define-node-type.ts';
import { f } from '../fields.ts';

export const actionWebhook = defineNodeType({
  type: 'action.webhook',
  version: 1,
  kind: 'action',
  label: 'Call a webhook',
  description: 'Sends an HTTP request.',
  icon: 'webhook',
  outputs: ['next'],
  config: {
    url: f.url({ label: 'URL' }),
    method: f.enum(['POST', 'PUT', 'PATCH'], { label: 'Method', default: 'POST' }),
    headers: f.httpHeaders({ label: 'Headers', optional: true, secret: true }),
    body: f.template({
      label: 'Body',
      json: true,
      optional: true,
      help: 'JSON; strings may contain {{ placeholders }}',
    }),
  },
  summary: (c) => (c.url ? `${c.method ?? 'POST'} ${c.url}` : 'set a URL'),
});
