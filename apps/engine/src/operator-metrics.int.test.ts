import { randomBytes } from 'node:crypto';
import { RESUME_QUEUE } from '@tripwire/rules';
import { sql } from 'drizzle-orm';
import { PgBoss } from 'pg-boss';
import { describe, expect, it } from 'vitest';
import { engineSuite } from '../test/engine-suite.ts';
import { publish, track, until } from '../test/fixtures.ts';
import { createQueueMonitor } from './jobs/queue-monitor.ts';
import { createLogger } from './logger.ts';
import { createMetrics } from './metrics.ts';

// What the operator dashboards read, scraped from the engine's real /metrics after real work.
const s = engineSuite('operator-metrics', {
  onReceiver: (receiver) => receiver.respondWith((req) => (req.path === '/down' ? 503 : 200)),
});

/** The value of one series in Prometheus text, or undefined when absent. */
function series(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) return Number(line.split(' ').at(-1));
  }
  return undefined;
}
const scrape = async () => (await fetch(`${s.t.url}/metrics`)).text();

describe('operator metrics (real engine, Kafka and pg-boss)', () => {
  it('exports action latency and failures by reason, consumer lag in seconds and queue depths', async () => {
    for (const path of ['ok', 'down']) {
      await publish(s.db, s.tenant.tenantId, {
        name: `to ${path}`,
        nodes: [{ id: 'start', type: 'trigger.event', config: { event: `go_${path}` } }, s.webhook('hook', `/${path}`)],
        edges: [{ source: 'start', target: 'hook' }],
      });
    }
    await until(() => s.t.engine.cache.route(s.tenant.tenantId, 'go_down'), 5000, 'workflows loaded');
    await s.t.produce([track(s.tenant.tenantId, 'u', 'go_ok'), track(s.tenant.tenantId, 'u', 'go_down')]);

    const text = await until(
      async () => {
        const t = await scrape();
        return (series(t, 'tripwire_action_failures_total', { reason: 'webhook.server_error' }) ?? 0) >= 1 &&
          (series(t, 'tripwire_action_duration_seconds_count', { outcome: 'delivered' }) ?? 0) >= 1
          ? t
          : undefined;
      },
      30_000,
      'action metrics',
    );
    expect(
      series(text, 'tripwire_action_duration_seconds_count', { queue: 'action.webhook.v1', outcome: 'retriable' }),
    ).toBeGreaterThanOrEqual(1);
    expect(series(text, 'tripwire_consumer_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(series(text, 'tripwire_oldest_overdue_wait_seconds')).toBeGreaterThanOrEqual(0);
    expect(
      series(text, 'tripwire_job_queue_depth', { queue: 'action.webhook.v1', state: 'ready' }),
    ).toBeGreaterThanOrEqual(0);
    expect(series(text, 'tripwire_engine_nodejs_eventloop_lag_p99_seconds')).toBeGreaterThan(0);
  });

  it('reports how overdue the oldest due wait is', async () => {
    const schema = `pgboss_m_${randomBytes(5).toString('hex')}`;
    const boss = new PgBoss({ connectionString: process.env.DATABASE_URL as string, schema, supervise: false });
    await boss.start();
    try {
      await boss.createQueue(RESUME_QUEUE);
      const metrics = createMetrics();
      const monitor = createQueueMonitor({ db: s.db, boss, schema, metrics, logger: createLogger('silent') });
      await monitor.sample();
      expect((await metrics.oldestOverdueWaitSeconds.get()).values[0]?.value).toBe(0);
      await boss.send(RESUME_QUEUE, { any: 1 }, { startAfter: new Date(Date.now() - 90_000) });
      await boss.send(RESUME_QUEUE, { any: 2 }, { startAfter: new Date(Date.now() + 90_000) });
      await monitor.sample();
      const overdue = (await metrics.oldestOverdueWaitSeconds.get()).values[0]?.value ?? 0;
      expect(overdue).toBeGreaterThanOrEqual(89);
      expect(overdue).toBeLessThan(120);
    } finally {
      await boss.stop({ graceful: false });
      await s.db.execute(sql.raw(`drop schema if exists ${schema} cascade`));
    }
  });
});
