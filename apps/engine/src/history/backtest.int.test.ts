import { postgresEventHistory, withTenant } from '@tripwire/db';
import type { WorkflowDocumentInput } from '@tripwire/rules';
import {
  type BacktestRejected,
  getBacktest,
  requestBacktest,
  startBacktestWorker,
} from '@tripwire/web/src/services/backtests.ts';
import { sql } from 'drizzle-orm';
import { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestTenant,
  publish,
  startTestEngine,
  type TestTenant,
  testDb,
  track,
  until,
} from '../../test/fixtures.ts';

// Backtests against the real engine, Kafka, archiver, Postgres and pg-boss: the flow is published
// and events run live through the engine; then the same version is backtested over that window
// and must count what the engine counted, node by node and output by output.
const { db, close } = testDb();
const store = postgresEventHistory(db, { maxDays: 30 });
let tenant: TestTenant;
let t: Awaited<ReturnType<typeof startTestEngine>>;
let boss: PgBoss;

const flow = (plan: string): WorkflowDocumentInput => ({
  name: 'onboarding',
  nodes: [
    {
      id: 't',
      type: 'trigger.event',
      config: { event: 'signup', filter: { '==': [{ var: 'event.properties.plan' }, plan] } },
    },
    { id: 'big', type: 'condition.if', config: { logic: { '>': [{ var: 'event.properties.seats' }, 5] } } },
    { id: 'w', type: 'wait.event', config: { event: 'activated', timeout: 'PT1H' } },
    { id: 'hello', type: 'action.log', config: { message: 'welcome' } },
    { id: 'small', type: 'action.log', config: { message: 'small team' } },
    { id: 'cap', type: 'limit.frequency', config: { max: 1, per: 'PT1H' } },
  ],
  edges: [
    { source: 't', target: 'cap' },
    { source: 'cap', sourceHandle: 'pass', target: 'big' },
    { source: 'big', sourceHandle: 'true', target: 'w' },
    { source: 'big', sourceHandle: 'false', target: 'small' },
    { source: 'w', sourceHandle: 'received', target: 'hello' },
  ],
});

beforeAll(async () => {
  tenant = await createTestTenant(db);
  t = await startTestEngine('backtest', { HISTORY_ARCHIVER: 'true' });
  boss = new PgBoss({
    connectionString: process.env.DATABASE_URL as string,
    schema: t.schema,
    supervise: false,
    schedule: false,
  });
  await boss.start();
  await startBacktestWorker(db, store, boss);
});
afterAll(async () => {
  await boss?.stop({ graceful: false }).catch(() => {});
  await t?.stop();
  await close();
});

type Counts = Record<string, { entered: number; outputs: Record<string, number> }>;

async function engineCounts(workflowId: string): Promise<Counts> {
  const { rows } = await withTenant(db, tenant.tenantId, (tx) =>
    tx.execute<{ node_id: string; output: string; n: string }>(
      sql`select node_id, output, sum(count) as n from path_counts where tenant_id = ${tenant.tenantId}::uuid and workflow_id = ${workflowId}::uuid group by node_id, output`,
    ),
  );
  const out: Counts = {};
  for (const r of rows) {
    const c = out[r.node_id] ?? { entered: 0, outputs: {} };
    out[r.node_id] = c;
    if (r.output === '') c.entered = Number(r.n);
    else c.outputs[r.output] = Number(r.n);
  }
  return out;
}
/** Nodes no run reached are left out, as the engine has no counter for them. */
const reached = (c: Counts) => Object.fromEntries(Object.entries(c).filter(([, v]) => v.entered > 0));

async function finished(id: string) {
  return until(
    async () => {
      const bt = await withTenant(db, tenant.tenantId, (tx) => getBacktest(tx, tenant.tenantId, id));
      return bt && ['done', 'failed', 'cancelled'].includes(bt.status) ? bt : undefined;
    },
    30_000,
    'backtest finished',
  );
}

describe('backtests (real engine, Kafka, archiver, Postgres, pg-boss)', () => {
  it('counts what the engine did when the same version ran live, and what a draft would do', async () => {
    const doc = flow('pro');
    const { workflowId } = await publish(db, tenant.tenantId, doc);
    await until(() => t.engine.cache.route(tenant.tenantId, 'signup'), 5000, 'workflow loaded');
    const base = Date.now();
    const u = tenant.tenantId;
    const messages = [];
    for (let i = 0; i < 40; i++) {
      const m = track(u, `user${i % 25}`, 'signup', { plan: i % 3 === 0 ? 'free' : 'pro', seats: i % 10 });
      const v = JSON.parse(m.value);
      v.receivedAt = new Date(base + i * 5).toISOString();
      messages.push({ key: m.key, value: JSON.stringify(v) });
      if (i % 4 === 0) {
        const a = track(u, `user${i % 25}`, 'activated');
        const av = JSON.parse(a.value);
        av.receivedAt = new Date(base + i * 5 + 2).toISOString();
        messages.push({ key: a.key, value: JSON.stringify(av) });
      }
    }
    await t.produce(messages);
    const from = new Date(base - 1000);
    await until(
      async () =>
        (
          await withTenant(db, u, (tx) =>
            store.byName(tx, u, ['signup', 'activated'], { from, to: new Date(Date.now() + 60_000) }, 1000),
          )
        ).length === messages.length
          ? true
          : undefined,
      20_000,
      'archived',
    );
    const pro = messages.filter((m) => JSON.parse(m.value).properties?.plan === 'pro').length;
    await until(
      async () => {
        const c = await engineCounts(workflowId);
        const cap = c.cap?.outputs ?? {};
        return c.t?.entered === pro && (cap.pass ?? 0) + (cap.limited ?? 0) === pro ? true : undefined;
      },
      20_000,
      'engine counted every signup',
    );
    // Awaited events that came in later batches resume their runs a moment after.
    await new Promise((r) => setTimeout(r, 1500));
    const engine = await engineCounts(workflowId);
    expect(engine.t?.entered).toBe(pro);

    const to = new Date();
    const same = await withTenant(db, u, (tx) =>
      requestBacktest(tx, store, boss, { tenantId: u, workflowId, from, to }),
    );
    const bt = await finished(same.id);
    expect(bt.status).toBe('done');
    expect(bt.progress).toBe(1);
    expect(bt.eventsDone).toBe(messages.length);
    expect(reached(bt.counts?.live as Counts)).toEqual(engine);
    expect(reached(bt.counts?.draft as Counts)).toEqual(engine);
    expect(bt.result?.draft.actions).toBe((engine.hello?.entered ?? 0) + (engine.small?.entered ?? 0));

    // A draft that takes free signups instead: different counts, and its difference from live.
    const draft = await withTenant(db, u, (tx) =>
      requestBacktest(tx, store, boss, { tenantId: u, workflowId, from, to, document: flow('free') }),
    );
    const d = await finished(draft.id);
    expect(d.status).toBe('done');
    const freeSignups = messages.filter((m) => JSON.parse(m.value).properties.plan === 'free').length;
    expect(d.counts?.draft.t?.entered).toBe(freeSignups);
    expect(d.counts?.live?.t?.entered).toBe(engine.t?.entered);
    expect(d.result?.difference.t?.entered).toBe(freeSignups - (engine.t?.entered ?? 0));
  });

  it('refuses bad input with a reason: an invalid draft, a range beyond retention, no history, one at a time', async () => {
    const { workflowId } = await publish(db, tenant.tenantId, flow('pro'));
    const ask = (o: { from?: Date; to?: Date; document?: unknown; tenantId?: string }) =>
      withTenant(db, o.tenantId ?? tenant.tenantId, (tx) =>
        requestBacktest(tx, store, boss, {
          tenantId: o.tenantId ?? tenant.tenantId,
          workflowId,
          from: o.from ?? new Date(Date.now() - 3_600_000),
          to: o.to ?? new Date(),
          ...(o.document ? { document: o.document } : {}),
        }),
      ).then(
        () => 'accepted',
        (e: BacktestRejected) => `${e.code}: ${e.message}`,
      );
    const broken = { ...flow('pro'), edges: [] };
    expect(await ask({ document: broken })).toMatch(/^invalid_draft: The draft has \d+ validation error\(s\)/);
    expect(await ask({ from: new Date(Date.now() - 9 * 86_400_000) })).toMatch(
      /^out_of_retention: Event history is kept for 7 days/,
    );
    // A second six days ago: within retention, and before any event this suite sent (one 7 s ago may not be).
    const sixDaysAgo = Date.now() - 6 * 86_400_000;
    expect(await ask({ from: new Date(sixDaysAgo), to: new Date(sixDaysAgo + 1000) })).toBe(
      'no_history: This workspace has no events in that time range, so there is nothing to backtest yet',
    );
    // Two requests at the same moment: one is accepted, the other told the first is running.
    const both = await Promise.all([ask({}), ask({})]);
    expect(both.filter((a) => a === 'accepted')).toHaveLength(1);
    expect(both.find((a) => a !== 'accepted')).toMatch(/^busy: /);
    await withTenant(db, tenant.tenantId, (tx) =>
      tx.execute(
        sql`insert into backtests (tenant_id, id, workflow_id, status, "from", "to", document) values (${tenant.tenantId}::uuid, gen_random_uuid(), ${workflowId}::uuid, 'running', now(), now(), '{}'::jsonb)`,
      ),
    );
    expect(await ask({})).toMatch(
      /^busy: Backtest .* is still running for this workspace; wait for it or cancel it first$/,
    );
  });
});
