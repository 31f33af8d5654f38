import { createDb, usageCounters, withTenant } from '@tripwire/db';
import { monthPeriod, nextMonthStart } from '@tripwire/rules';
import { testKafka } from '@tripwire/testing';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../../tests/support/api-fixture.ts';
import { startApiProcess, stopApiProcesses } from '../../../tests/support/api-processes.ts';
import { assignPlan, createPlan } from '../../services/plans.ts';
import { createTenant } from '../../services/tenants.ts';

// Quotas per tenant (decision 039) behind two web processes on one topic: what a plan allows is
// the tenant's once, whichever process a request reaches.
let urls: string[] = [];
const { db, close } = createDb({ connectionString: process.env.DATABASE_URL as string, max: 2 });

beforeAll(async () => {
  const topic = await testKafka().createTopic('quotas');
  urls = await Promise.all([startApiProcess(topic), startApiProcess(topic)]);
}, 180_000);

afterAll(async () => {
  await stopApiProcesses();
  await close();
});

const unique = () => `q${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** A tenant on a new plan with these limits. */
async function tenantOnPlan(limits: Parameters<typeof createPlan>[2]) {
  const plan = unique();
  await createPlan(db, plan, limits);
  const tenant = await createTenant(db, { name: `quota ${plan}` });
  await assignPlan(db, tenant.tenantId, plan);
  return tenant;
}

async function eventsCounted(tenantId: string): Promise<number> {
  const rows = await withTenant(db, tenantId, (tx) =>
    tx
      .select({ count: usageCounters.count })
      .from(usageCounters)
      .where(
        and(
          eq(usageCounters.tenantId, tenantId),
          eq(usageCounters.metric, 'events'),
          eq(usageCounters.period, monthPeriod(Date.now())),
        ),
      ),
  );
  return Number(rows[0]?.count ?? 0);
}

async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > until) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

const track = (url: string, key: string, i: number) =>
  call(`${url}/track`, { key, body: { userId: `u${i}`, event: 'clicked' } });

describe('quotas across two web processes (real Postgres and Kafka)', () => {
  it('admits exactly the monthly event quota in total, then 429 with Retry-After until next month and the reason', async () => {
    const tenant = await tenantOnPlan({ eventsPerMonth: 30 });
    // 80 at once, half to each process: each admitting 30 on its own would let 60 through.
    const sentAt = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 80 }, (_, i) => track(urls[i % 2] as string, tenant.writeKey, i)),
    );
    const accepted = answers.filter((a) => a.status === 200);
    const refused = answers.filter((a) => a.status === 429);
    expect(accepted).toHaveLength(30);
    expect(refused).toHaveLength(50);
    expect(new Set(answers.flatMap((a, i) => (a.status === 200 ? [i % 2] : []))).size).toBe(2);
    const [no] = refused;
    expect(no?.body.error).toMatchObject({
      code: 'quota_exceeded',
      details: { quota: 'events_per_month', limit: 30, resetsAt: new Date(nextMonthStart(Date.now())).toISOString() },
    });
    expect(no?.body.error.message).toMatch(/monthly event quota of 30 reached/);
    // Seconds to the next UTC month, as of when the refusal was made (between sending and now).
    const retryAfter = Number(no?.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(Math.floor((nextMonthStart(Date.now()) - Date.now()) / 1000));
    expect(retryAfter).toBeLessThanOrEqual(Math.ceil((nextMonthStart(sentAt) - sentAt) / 1000));
    // A batch is refused whole, by either process; nothing more is counted.
    for (const url of urls) {
      const batch = await call(`${url}/batch`, {
        key: tenant.writeKey,
        body: { batch: [{ type: 'track', userId: 'b', event: 'clicked' }] },
      });
      expect(batch.status).toBe(429);
      expect(batch.body.error.code).toBe('quota_exceeded');
    }
    expect(await eventsCounted(tenant.tenantId)).toBe(30);
  });

  it('counts each accepted event once, whichever process took it, and gives back leased events it did not use', async () => {
    const tenant = await tenantOnPlan({ eventsPerMonth: 100_000 });
    const answers = await Promise.all([
      ...Array.from({ length: 40 }, (_, i) => track(urls[i % 2] as string, tenant.writeKey, i)),
      ...Array.from({ length: 6 }, (_, i) =>
        call(`${urls[i % 2]}/batch`, {
          key: tenant.writeKey,
          body: { batch: Array.from({ length: 10 }, (_, j) => ({ type: 'track', userId: `b${j}`, event: 'x' })) },
        }),
      ),
    ]);
    expect(answers.every((a) => a.status === 200)).toBe(true);
    // Leases reserve more than was used (a slice of the rate each); within a second or two the
    // unused part is given back, and the count is what was accepted.
    expect(
      await eventually(
        () => eventsCounted(tenant.tenantId),
        (n) => n === 100,
      ),
    ).toBe(100);
  });

  it("applies the plan's ingestion rate once across both processes", async () => {
    const tenant = await tenantOnPlan({ ingestRatePerSecond: 1, ingestBurst: 10 });
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => track(urls[i % 2] as string, tenant.writeKey, i)),
    );
    const elapsed = (Date.now() - started) / 1000;
    const accepted = answers.filter((a) => a.status === 200).length;
    expect(accepted).toBeGreaterThanOrEqual(1);
    expect(accepted).toBeLessThanOrEqual(10 + Math.ceil(elapsed) + 2);
    const refused = answers.find((a) => a.status === 429);
    expect(refused?.body.error).toMatchObject({ code: 'rate_limited' });
    expect(refused?.body.error.message).toMatch(/ingestion rate of 1 events\/s/);
  });

  it('refuses a workflow over the plan’s quota with 403 and the reason, even two at once on two processes', async () => {
    const tenant = await tenantOnPlan({ workflows: 2 });
    const doc = (name: string) => ({
      name,
      nodes: [
        { id: 'start', type: 'trigger.event', version: 1, config: { event: 'signup' } },
        { id: 'log', type: 'action.log', version: 1, config: {} },
      ],
      edges: [{ source: 'start', target: 'log' }],
    });
    const create = (url: string, name: string) => call(`${url}/workflows`, { key: tenant.adminKey, body: doc(name) });
    expect((await create(urls[0] as string, 'one')).status).toBe(201);
    const [a, b] = await Promise.all([create(urls[0] as string, 'two'), create(urls[1] as string, 'three')]);
    expect([a?.status, b?.status].sort()).toEqual([201, 403]);
    const refused = a?.status === 403 ? a : b;
    expect(refused?.body.error).toMatchObject({ code: 'quota_exceeded', details: { quota: 'workflows', limit: 2 } });
    expect(refused?.body.error.message).toMatch(/has 2 workflows and its plan allows 2/);
  });
});
