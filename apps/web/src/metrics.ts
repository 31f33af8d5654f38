import { createServer, type Server } from 'node:http';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export interface WebMetricsOptions {
  /** Tenants whose ingestion gets its own series (opt-in, so the number of series stays bounded). */
  tenantLabels?: readonly string[];
}

/** The web process's Prometheus metrics. Labels are bounded: endpoints, statuses and codes are ours. */
export function createWebMetrics({ tenantLabels = [] }: WebMetricsOptions = {}) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tripwire_web_' });
  const registers = [registry];
  const labelled = new Set(tenantLabels);
  const tenantEvents = new Counter({
    name: 'tripwire_ingest_tenant_events_total',
    help: 'Events stored, per tenant, for the tenants listed in METRICS_TENANT_LABELS only',
    labelNames: ['tenant'],
    registers,
  });
  let viewers = () => 0;
  const events = new Counter({
    name: 'tripwire_ingest_events_total',
    help: 'Events acknowledged by Kafka (stored) by ingestion',
    registers,
  });
  return {
    registry,
    requests: new Counter({
      name: 'tripwire_ingest_requests_total',
      help: 'Ingestion requests answered, by endpoint and HTTP status',
      labelNames: ['endpoint', 'status'],
      registers,
    }),
    requestSeconds: new Histogram({
      name: 'tripwire_ingest_request_duration_seconds',
      help: 'Time to answer an ingestion request (Kafka acknowledgement included)',
      labelNames: ['endpoint'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    rejected: new Counter({
      name: 'tripwire_ingest_rejected_total',
      help: 'Refused ingestion attempts (or refused messages of a batch), by status and reason code; attributed=false when no workspace could be told',
      labelNames: ['status', 'code', 'attributed'],
      registers,
    }),
    debuggerViewers: new Gauge({
      name: 'tripwire_debugger_viewers',
      help: 'Open live views of the event debugger in this process',
      registers,
      collect() {
        this.set(viewers());
      },
    }),
    /** Where the viewer gauge reads its value at each scrape. */
    countViewers(count: () => number) {
      viewers = count;
    },
    /** Counts stored events; the Kafka key (`tenantId:userId`) is read only for opted-in tenants. */
    stored(keys: readonly string[]) {
      events.inc(keys.length);
      if (labelled.size === 0) return;
      for (const key of keys) {
        const tenant = key.slice(0, key.indexOf(':'));
        if (labelled.has(tenant)) tenantEvents.inc({ tenant });
      }
    },
  };
}
export type WebMetrics = ReturnType<typeof createWebMetrics>;

/** GET /metrics on a port of its own, so the public port never serves it. */
export function createMetricsServer(metrics: WebMetrics) {
  const server: Server = createServer(async (req, res) => {
    if (req.method === 'GET' && req.url === '/metrics') {
      res.writeHead(200, { 'content-type': metrics.registry.contentType });
      res.end(await metrics.registry.metrics());
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  return {
    listen: (port: number, host: string) =>
      new Promise<number>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const address = server.address();
          resolve(typeof address === 'object' && address ? address.port : port);
        });
      }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
