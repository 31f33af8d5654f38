import { createServer, type Server } from 'node:http';
import type { Metrics } from './metrics.ts';

export interface HealthReport {
  status: 'ok' | 'degraded';
  postgres: { ok: boolean; latencyMs?: number; error?: string };
  kafka: { ok: boolean; consumer: string };
  workflows?: number;
}

export interface HealthServerOptions {
  host: string;
  port: number;
  metrics: Metrics;
  check(): Promise<HealthReport>;
}

/** GET /health (200 when Postgres and Kafka both answer, else 503) and GET /metrics (Prometheus). */
export function createHealthServer({ host, port, metrics, check }: HealthServerOptions) {
  const server: Server = createServer(async (req, res) => {
    try {
      if (req.method === 'GET' && req.url === '/health') {
        const report = await check();
        res.writeHead(report.status === 'ok' ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify(report));
      } else if (req.method === 'GET' && req.url === '/metrics') {
        res.writeHead(200, { 'content-type': metrics.registry.contentType });
        res.end(await metrics.registry.metrics());
      } else {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'not found' }));
      }
    } catch {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'health check failed' }));
    }
  });
  return {
    listen: () => new Promise<number>((resolve) => server.listen(port, host, () => resolve(addressPort(server)))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function addressPort(server: Server): number {
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}
