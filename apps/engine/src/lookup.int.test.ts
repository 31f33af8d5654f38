import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { withTenant } from '@tripwire/db';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineSuite } from '../test/engine-suite.ts';
import { publish, track, until } from '../test/fixtures.ts';

// "Look up" against a real HTTP API on 127.0.0.1 (the tests' address allow list, as for webhooks):
// the answer decides a later condition and fills a webhook's body, a second event within the
// node's "reuse for" is answered from the user's cache, a time-out and a 5xx take the error output
// and the run goes on, and the secret header is sent but stored nowhere.

const s = engineSuite('lookups');
const { db, at } = s;
const TOKEN = 'Bearer lookup-tok-0c1d';

interface Call {
  path: string;
  headers: IncomingHttpHeaders;
}
const calls: Call[] = [];
const PLANS: Record<string, unknown> = { alice: { plan: 'pro', seats: 12 }, bob: { plan: 'free', seats: 1 } };
const api = createServer((req, res) => {
  const path = req.url ?? '';
  calls.push({ path, headers: req.headers });
  const user = /^\/users\/([^/?]+)/.exec(path)?.[1];
  if (path.startsWith('/slow')) {
    setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"late":true}'), 1500);
  } else if (path.startsWith('/broken')) {
    res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"down"}');
  } else if (user && PLANS[decodeURIComponent(user)]) {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(PLANS[decodeURIComponent(user)]));
  } else {
    res.writeHead(404).end();
  }
});
let apiUrl = '';
const callsTo = (prefix: string) => calls.filter((c) => c.path.startsWith(prefix));

beforeAll(async () => {
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', () => resolve()));
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => api.close(() => resolve())));

type PathStep = { nodeId: string; output?: string; detail?: Record<string, unknown> };

describe('lookup.http in the engine (real Kafka, Postgres, HTTP)', () => {
  it('feeds a later condition and template, answers again from the cache, and stores no secret', async () => {
    const tenantId = s.tenant.tenantId;
    const { workflowId } = await publish(db, tenantId, {
      name: 'Enrich visits',
      nodes: [
        { id: 'start', type: 'trigger.event', config: { event: 'visit' } },
        {
          id: 'profile',
          type: 'lookup.http',
          config: {
            url: `${apiUrl}/users/{{ event.userId }}`,
            headers: { 'X-Page': '{{ event.properties.page }}' },
            secretHeaders: { Authorization: TOKEN },
            cacheFor: 'PT1H',
          },
        },
        { id: 'is-pro', type: 'condition.if', config: { logic: { '==': [{ var: 'lookup.profile.plan' }, 'pro'] } } },
        s.webhook('pro', '/pro', { user: '{{ event.userId }}', seats: '{{ lookup.profile.seats }}' }),
        { id: 'pause', type: 'wait.delay', config: { duration: 'PT1S' } },
        s.webhook('after-wait', '/after-wait', { plan: '{{ lookup.profile.plan }}' }),
        s.webhook('no-profile', '/no-profile', { user: '{{ event.userId }}' }),
      ],
      edges: [
        { source: 'start', target: 'profile' },
        { source: 'profile', sourceHandle: 'ok', target: 'is-pro' },
        { source: 'is-pro', sourceHandle: 'true', target: 'pro' },
        { source: 'is-pro', sourceHandle: 'true', target: 'pause' },
        { source: 'pause', target: 'after-wait' },
        { source: 'profile', sourceHandle: 'error', target: 'no-profile' },
      ],
    });
    await until(() => s.t.engine.cache.route(tenantId, 'visit'), 5000, 'workflow loaded');
    await s.t.produce([track(tenantId, 'alice', 'visit', { page: 'pricing' }), track(tenantId, 'bob', 'visit')]);
    await until(() => at('/pro').length === 1, 15_000, 'the pro webhook');
    await s.t.produce([track(tenantId, 'alice', 'visit', { page: 'pricing' })]);
    await until(() => at('/pro').length === 2 && at('/after-wait').length === 2, 15_000, 'the second event');

    // One call for alice's two events (the second within the hour came from her cache), one for bob.
    expect(callsTo('/users/alice')).toHaveLength(1);
    expect(callsTo('/users/bob')).toHaveLength(1);
    expect(callsTo('/users/alice')[0]?.headers).toMatchObject({ authorization: TOKEN, 'x-page': 'pricing' });
    expect(at('/pro').map((r) => r.json)).toEqual([
      { user: 'alice', seats: 12 },
      { user: 'alice', seats: 12 },
    ]);
    // After the wait, the run still has what it looked up.
    expect(at('/after-wait').map((r) => r.json)).toEqual([{ plan: 'pro' }, { plan: 'pro' }]);
    expect(at('/no-profile')).toHaveLength(0);

    const runs = await until(
      async () => {
        const r = await s.runs(workflowId);
        return r.length === 3 && r.every((x) => x.status === 'completed') ? r : undefined;
      },
      10_000,
      'three completed runs',
    );
    const lookupOf = (r: (typeof runs)[number]) =>
      (r.path as PathStep[]).find((p) => p.nodeId === 'profile')?.detail?.lookup as Record<string, unknown>;
    const alice = runs.filter((r) => r.userId === 'alice').sort((a, b) => +a.startedAt - +b.startedAt);
    expect(alice.map((r) => lookupOf(r)?.cached)).toEqual([false, true]);
    expect(lookupOf(alice[0] as (typeof runs)[number])).toMatchObject({
      outcome: 'ok',
      status: 200,
      headers: { 'X-Page': 'pricing', Authorization: '[redacted]' },
    });
    expect(alice[0]?.lookups).toEqual({ profile: { plan: 'pro', seats: 12 } });
    const bob = runs.find((r) => r.userId === 'bob');
    expect(((bob?.path ?? []) as PathStep[]).map((p) => [p.nodeId, p.output ?? null])).toEqual([
      ['start', 'next'],
      ['profile', 'ok'],
      ['is-pro', 'false'],
    ]);

    // The token went out in the request and is kept nowhere: not in runs (paths, answers), the cache,
    // jobs, deliveries or dead letters of this tenant.
    const stored = await withTenant(db, tenantId, async (tx) => {
      const { rows } = await tx.execute<{ n: number }>(sql`
        select (select count(*) from runs where tenant_id = ${tenantId}::uuid
                  and (path::text like ${'%lookup-tok%'} or lookups::text like ${'%lookup-tok%'}))
             + (select count(*) from lookup_cache where tenant_id = ${tenantId}::uuid and value::text like ${'%lookup-tok%'})
             + (select count(*) from dead_letters where tenant_id = ${tenantId}::uuid and data::text like ${'%lookup-tok%'})
             + (select count(*) from action_deliveries where tenant_id = ${tenantId}::uuid
                  and row_to_json(action_deliveries)::text like ${'%lookup-tok%'}) as n`);
      const cached = await tx.execute<{ user_id: string }>(
        sql`select user_id from lookup_cache where tenant_id = ${tenantId}::uuid order by user_id`,
      );
      return { secrets: Number(rows[0]?.n), cachedUsers: cached.rows.map((r) => r.user_id) };
    });
    expect(stored).toEqual({ secrets: 0, cachedUsers: ['alice', 'bob'] });
    const jobs = await db.execute<{ n: number }>(
      sql`select count(*)::int as n from ${sql.identifier(s.t.schema)}.job where data::text like ${'%lookup-tok%'}`,
    );
    expect(jobs.rows[0]?.n).toBe(0);
  });

  it('takes the error output on a time-out, a 5xx or a private address, and the run goes on', async () => {
    const tenantId = s.tenant.tenantId;
    const lookup = (id: string, url: string) => ({
      id,
      type: 'lookup.http',
      config: { url, timeoutMs: 300, secretHeaders: { Authorization: TOKEN } },
    });
    const { workflowId } = await publish(db, tenantId, {
      name: 'Look-ups that fail',
      nodes: [
        { id: 'start', type: 'trigger.event', config: { event: 'flaky' } },
        lookup('slow', `${apiUrl}/slow/{{ event.userId }}`),
        lookup('broken', `${apiUrl}/broken/{{ event.userId }}`),
        lookup('metadata', 'http://169.254.169.254/latest/meta-data/{{ event.userId }}'),
        s.webhook('slow-failed', '/failed/slow', { user: '{{ event.userId }}' }),
        s.webhook('broken-failed', '/failed/broken', {}),
        s.webhook('metadata-failed', '/failed/metadata', {}),
      ],
      edges: [
        { source: 'start', target: 'slow' },
        { source: 'start', target: 'broken' },
        { source: 'start', target: 'metadata' },
        { source: 'slow', sourceHandle: 'error', target: 'slow-failed' },
        { source: 'broken', sourceHandle: 'error', target: 'broken-failed' },
        { source: 'metadata', sourceHandle: 'error', target: 'metadata-failed' },
      ],
    });
    await until(() => s.t.engine.cache.route(tenantId, 'flaky'), 5000, 'workflow loaded');
    await s.t.produce([track(tenantId, 'carol', 'flaky')]);
    await until(
      () => at('/failed/slow').length + at('/failed/broken').length + at('/failed/metadata').length === 3,
      15_000,
      'the three error paths',
    );
    const [run] = await until(
      async () => {
        const r = await s.runs(workflowId);
        return r.length === 1 && r[0]?.status === 'completed' ? r : undefined;
      },
      10_000,
      'the run completed',
    );
    const steps = ((run?.path ?? []) as PathStep[]).filter((p) => ['slow', 'broken', 'metadata'].includes(p.nodeId));
    const lookups = Object.fromEntries(
      steps.map((p) => [p.nodeId, [p.output, (p.detail?.lookup as { reason?: string } | undefined)?.reason]]),
    );
    expect(lookups).toEqual({
      slow: ['error', 'timeout'],
      broken: ['error', 'status'],
      metadata: ['error', 'refused'],
    });
    expect(run?.error).toBeNull();
    // The time-out held the walk for its 300 ms, not for the API's 1.5 s.
    const slow = steps.find((p) => p.nodeId === 'slow')?.detail?.lookup as { durationMs: number };
    expect(slow.durationMs).toBeGreaterThanOrEqual(290);
    expect(slow.durationMs).toBeLessThan(1400);
    expect(JSON.stringify(run?.path)).not.toContain('lookup-tok');
  });
});
