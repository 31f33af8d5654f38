// The bench's webhook receiver on 127.0.0.1: keeps only what the figures need (path, webhook-id,
// the echoed send time, arrival time), so 100k deliveries stay cheap to record.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Delivery {
  webhookId: string;
  /** properties.sentAt echoed by the ping workflow's body template. */
  sentAt?: number;
  /** The user the body names (the wait workflows: one run per user). */
  user?: string;
  at: number;
}

export async function startBenchReceiver() {
  const byPath = new Map<string, Delivery[]>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = Date.now();
      const path = req.url ?? '';
      let sentAt: number | undefined;
      let user: string | undefined;
      if (path === '/ping') sentAt = Number(JSON.parse(Buffer.concat(chunks).toString('utf8')).sentAt);
      else if (path === '/delayed' || path === '/burst') user = JSON.parse(Buffer.concat(chunks).toString('utf8')).user;
      const list = byPath.get(path) ?? [];
      list.push({ webhookId: String(req.headers['webhook-id']), sentAt, user, at });
      byPath.set(path, list);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    at: (path: string) => byPath.get(path) ?? [],
    total: () => [...byPath.values()].reduce((n, l) => n + l.length, 0),
    counts: () => Object.fromEntries([...byPath].map(([p, l]) => [p, l.length])),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
export type BenchReceiver = Awaited<ReturnType<typeof startBenchReceiver>>;
