// A local HTTP receiver for webhook actions: records what arrives, checks its Standard Webhooks
// signature with the tenant's secret, and answers what the test says (a 500, a 429 with Retry-After).
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhook } from '@tripwire/platform';

export interface ReceivedWebhook {
  path: string;
  method: string;
  headers: IncomingHttpHeaders;
  body: string;
  // biome-ignore lint/suspicious/noExplicitAny: receivers assert on bodies field by field
  json: any;
  verified: boolean;
  at: number;
}

/** A status, or a status with response headers (a 429's Retry-After). */
export type ReceiverAnswer = number | { status: number; headers: Record<string, string> };

/** A local HTTP receiver; `respond` decides each answer (default 200). */
export async function startReceiver(secret: () => string | undefined = () => undefined) {
  const received: ReceivedWebhook[] = [];
  let respond: (req: ReceivedWebhook, attempt: number) => ReceiverAnswer = () => 200;
  const attempts = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const s = secret();
      const hook: ReceivedWebhook = {
        path: req.url ?? '',
        method: req.method ?? '',
        headers: req.headers,
        body,
        json: body ? JSON.parse(body) : null,
        verified: s ? verifyWebhook({ headers: req.headers, body, secret: s }).ok : false,
        at: Date.now(),
      };
      const id = String(req.headers['webhook-id']);
      const attempt = (attempts.get(id) ?? 0) + 1;
      attempts.set(id, attempt);
      const answer = respond(hook, attempt);
      const { status, headers } = typeof answer === 'number' ? { status: answer, headers: {} } : answer;
      if (status < 300) received.push(hook);
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    attempts,
    respondWith(fn: (req: ReceivedWebhook, attempt: number) => ReceiverAnswer) {
      respond = fn;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
