import { waiters, withTenant } from '@tripwire/db';
import { count } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { engineSuite } from '../test/engine-suite.ts';
import { kafka, publish, track, unpublish, until } from '../test/fixtures.ts';

const s = engineSuite('engine');
const { db } = s;

const hook = (id: string, path: string) => s.webhook(id, path, { n: '{{ event.properties.n }}' });
const flow = (event: string, path: string) => ({
  name: `on ${event}`,
  nodes: [{ id: 'start', type: 'trigger.event', config: { event } }, hook('hook', path)],
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

  it('a run waiting on an older version still gets its event after a republish, also for a wait it reaches later', async () => {
    const waitFor = (id: string, event: string) => ({ id, type: 'wait.event', config: { event, timeout: 'P1D' } });
    // W1 waits at once; W2 waits only after a delay, so its waiter appears after the republish.
    const w1 = await publish(db, s.tenant.tenantId, {
      name: 'W1 v1',
      nodes: [
        { id: 'start', type: 'trigger.event', config: { event: 'made1' } },
        waitFor('w', 'paid1'),
        hook('h', '/paid1'),
      ],
      edges: [
        { source: 'start', target: 'w' },
        { source: 'w', sourceHandle: 'received', target: 'h' },
      ],
    });
    const w2 = await publish(db, s.tenant.tenantId, {
      name: 'W2 v1',
      nodes: [
        { id: 'start', type: 'trigger.event', config: { event: 'made2' } },
        { id: 'd', type: 'wait.delay', config: { duration: 'PT2S' } },
        waitFor('w', 'paid2'),
        hook('h', '/paid2'),
      ],
      edges: [
        { source: 'start', target: 'd' },
        { source: 'd', target: 'w' },
        { source: 'w', sourceHandle: 'received', target: 'h' },
      ],
    });
    await until(() => s.t.engine.cache.route(s.tenant.tenantId, 'made2'), 5000, 'v1 loaded');
    await s.t.produce([track(s.tenant.tenantId, 'olga', 'made1'), track(s.tenant.tenantId, 'olga', 'made2')]);
    const pending = async () =>
      (await withTenant(db, s.tenant.tenantId, (tx) => tx.select({ n: count() }).from(waiters)))[0]?.n ?? 0;
    await until(async () => (await pending()) === 1 || undefined, 10_000, "W1's waiter");

    // Version 2 of both waits for nothing.
    for (const { workflowId } of [w1, w2]) {
      await publish(
        db,
        s.tenant.tenantId,
        {
          name: 'v2',
          nodes: [{ id: 'start', type: 'trigger.event', config: { event: 'made3' } }, hook('h', '/v2')],
          edges: [{ source: 'start', target: 'h' }],
        },
        workflowId,
      );
    }
    await until(() => s.t.engine.cache.route(s.tenant.tenantId, 'made3'), 5000, 'v2 loaded');
    await until(async () => (await pending()) === 2 || undefined, 10_000, "W2's waiter, after its delay");
    await s.t.produce([
      track(s.tenant.tenantId, 'olga', 'paid1', { n: 1 }),
      track(s.tenant.tenantId, 'olga', 'paid2', { n: 2 }),
    ]);
    await until(() => hits('/paid1').length === 1 && hits('/paid2').length === 1, 10_000, 'both runs received');
    expect([hits('/paid1'), hits('/paid2')]).toEqual([[1], [2]]);
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

  it("keeps a filter that throws on an event to its own workflow: the tenant's others still run", async () => {
    await publish(db, s.tenant.tenantId, {
      name: 'throws',
      nodes: [
        // json-logic-js's `in` calls the haystack's indexOf: a property named indexOf makes it throw.
        {
          id: 'start',
          type: 'trigger.event',
          config: { event: 'tagged', filter: { in: ['x', { var: 'event.properties.tags' }] } },
        },
        s.webhook('hook', '/throws'),
      ],
      edges: [{ source: 'start', target: 'hook' }],
    });
    await publish(db, s.tenant.tenantId, flow('tagged', '/tagged-fine'));
    await until(() => (s.t.engine.cache.route(s.tenant.tenantId, 'tagged')?.triggers.length === 2 ? true : undefined));
    await s.t.produce([track(s.tenant.tenantId, 'una', 'tagged', { n: 7, tags: { indexOf: 1 } })]);
    await until(() => hits('/tagged-fine').length === 1, 10_000, 'the other workflow ran');
    expect(hits('/tagged-fine')).toEqual([7]);
    expect(s.at('/throws')).toEqual([]);
    const metrics = await (await fetch(`${s.t.url}/metrics`)).text();
    expect(metrics).toMatch(/tripwire_rule_errors_total\{node="trigger.event"\} 1/);
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
