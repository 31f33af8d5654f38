import { describe, expect, it } from 'vitest';
import { engineSuite } from '../test/engine-suite.ts';
import { kafka, publish, track, unpublish, until } from '../test/fixtures.ts';

const s = engineSuite('engine');
const { db } = s;

const flow = (event: string, path: string) => ({
  name: `on ${event}`,
  nodes: [
    { id: 'start', type: 'trigger.event', config: { event } },
    {
      id: 'hook',
      type: 'action.webhook',
      config: { url: `${s.receiver.url}${path}`, body: { n: '{{ event.properties.n }}' } },
    },
  ],
  edges: [{ source: 'start', target: 'hook' }],
});
const hits = (path: string) => s.at(path).map((r) => r.json.n);

describe('engine process (real Kafka and Postgres)', () => {
  it('joins its consumer group and reports both dependencies healthy on GET /health', async () => {
    const body = await until(async () => {
      const res = await fetch(`${s.t.url}/health`);
      return res.status === 200 ? await res.json() : undefined;
    });
    expect(body).toMatchObject({ status: 'ok', postgres: { ok: true }, kafka: { ok: true, consumer: 'joined' } });
  });

  it('hot-reloads publish, republish and unpublish without a restart', async () => {
    const { workflowId } = await publish(db, s.tenant.tenantId, flow('first', '/v1'));
    const t0 = Date.now();
    await until(() => s.t.engine.cache.route(s.tenant.tenantId, 'first'), 5000, 'published workflow loaded');
    expect(Date.now() - t0).toBeLessThan(1000);
    await s.t.produce([track(s.tenant.tenantId, 'u1', 'first', { n: 1 })]);
    await until(() => hits('/v1').length === 1, 10_000, 'v1 webhook');

    // Version 2 listens to another event: the old route disappears, the new one appears.
    await publish(db, s.tenant.tenantId, flow('second', '/v2'), workflowId);
    await until(() => s.t.engine.cache.route(s.tenant.tenantId, 'second'), 5000, 'version 2 loaded');
    expect(s.t.engine.cache.route(s.tenant.tenantId, 'first')).toBeUndefined();
    await s.t.produce([
      track(s.tenant.tenantId, 'u1', 'first', { n: 2 }),
      track(s.tenant.tenantId, 'u1', 'second', { n: 3 }),
    ]);
    await until(() => hits('/v2').length === 1, 10_000, 'v2 webhook');

    await unpublish(db, s.tenant.tenantId, workflowId);
    await until(() => (s.t.engine.cache.route(s.tenant.tenantId, 'second') ? undefined : true), 5000, 'unpublished');
    await s.t.produce([track(s.tenant.tenantId, 'u1', 'second', { n: 4 })]);
    await new Promise((r) => setTimeout(r, 1500));
    expect(hits('/v1')).toEqual([1]);
    expect(hits('/v2')).toEqual([3]);
  });

  it('dead-letters malformed messages with a reason and keeps the partition moving', async () => {
    await publish(db, s.tenant.tenantId, flow('after_junk', '/after'));
    await until(() => s.t.engine.cache.route(s.tenant.tenantId, 'after_junk'), 5000, 'workflow loaded');
    const key = `${s.tenant.tenantId}:u2`;
    await s.t.produce([
      { key, value: '{not json' },
      { key, value: JSON.stringify({ v: 1, type: 'track', tenantId: s.tenant.tenantId }) },
      { key, value: track('00000000-0000-4000-8000-000000000000', 'u2', 'x').value },
      track(s.tenant.tenantId, 'u2', 'after_junk', { n: 5 }),
    ]);
    await until(() => hits('/after').length === 1, 10_000, 'event after the junk');
    const dead = (await kafka.read(s.t.dlqTopic, 3)).map((m) => JSON.parse(m.value));
    expect(dead.map((d) => d.reason)).toEqual([
      'malformed: not valid JSON',
      expect.stringMatching(/^malformed: not a Tripwire event: messageId/),
      'unknown tenant',
    ]);
    expect(dead[0].value).toBe('{not json');
    const metrics = await (await fetch(`${s.t.url}/metrics`)).text();
    expect(metrics).toMatch(/tripwire_events_dead_lettered_total\{reason="malformed"\} 2/);
    expect(metrics).toMatch(/tripwire_events_dead_lettered_total\{reason="unknown tenant"\} 1/);
  });

  it('exposes Prometheus metrics for events, runs and jobs', async () => {
    const text = await (await fetch(`${s.t.url}/metrics`)).text();
    for (const name of [
      'tripwire_events_consumed_total',
      'tripwire_runs_started_total',
      'tripwire_jobs_enqueued_total',
      'tripwire_batch_evaluation_seconds_bucket',
      'tripwire_consumer_lag',
    ]) {
      expect(text).toContain(name);
    }
    expect(Number(/^tripwire_runs_started_total (\d+)/m.exec(text)?.[1])).toBeGreaterThanOrEqual(3);
    expect((await fetch(`${s.t.url}/nope`)).status).toBe(404);
  });
});
