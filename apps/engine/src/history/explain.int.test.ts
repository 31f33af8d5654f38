import { postgresEventHistory, withTenant } from '@tripwire/db';
import { explainUserHistory } from '@tripwire/web/src/services/explain.ts';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestTenant,
  publish,
  startTestEngine,
  type TestTenant,
  testDb,
  track,
  unpublish,
  until,
} from '../../test/fixtures.ts';

// "Why didn't this user trigger?" against the real engine, Kafka, archiver and Postgres: events
// flow through the engine as usual, the archiver keeps them, and the explanation replays them
// through the versions live at each event's time: a reason for each, and the same runs as the
// engine recorded (no differences).
const { db, close } = testDb();
let tenant: TestTenant;
let t: Awaited<ReturnType<typeof startTestEngine>>;
const store = postgresEventHistory(db, { maxDays: 30 });

beforeAll(async () => {
  tenant = await createTestTenant(db);
  t = await startTestEngine('explain', { HISTORY_ARCHIVER: 'true' });
});
afterAll(async () => {
  await t?.stop();
  await close();
});

/** A track message received `ms` after `base` (distinct, ordered arrival times). */
function at(message: ReturnType<typeof track>, base: number, ms: number, messageId?: string) {
  const value = JSON.parse(message.value);
  value.receivedAt = new Date(base + ms).toISOString();
  if (messageId) value.messageId = messageId;
  return { key: message.key, value: JSON.stringify(value), messageId: value.messageId as string };
}

const kept = (userId: string) =>
  withTenant(db, tenant.tenantId, (tx) =>
    store.byUser(
      tx,
      tenant.tenantId,
      userId,
      { from: new Date(Date.now() - 3_600_000), to: new Date(Date.now() + 60_000) },
      100,
    ),
  );

describe('explain (real engine, Kafka, archiver, Postgres)', () => {
  it('tells each event why, through the version live then, with the same runs as the engine', async () => {
    const { workflowId } = await publish(db, tenant.tenantId, {
      name: 'explain',
      nodes: [
        {
          id: 't',
          type: 'trigger.event',
          config: { event: 'cart', filter: { '>': [{ var: 'event.properties.total' }, 50] } },
        },
        { id: 'cap', type: 'limit.frequency', config: { max: 1, per: 'PT1H' } },
        { id: 'w', type: 'wait.event', config: { event: 'paid', timeout: 'PT1H' } },
        { id: 'log', type: 'action.log', config: { message: 'paid' } },
      ],
      edges: [
        { source: 't', target: 'cap' },
        { source: 'cap', sourceHandle: 'pass', target: 'w' },
        { source: 'w', sourceHandle: 'received', target: 'log' },
      ],
    });
    await until(() => t.engine.cache.route(tenant.tenantId, 'cart'), 5000, 'workflow loaded');
    const base = Date.now();
    const u = tenant.tenantId;
    const big = at(track(u, 'alice', 'cart', { total: 80 }), base, 30);
    const live = [
      at(track(u, 'alice', 'viewed'), base, 10),
      at(track(u, 'alice', 'cart', { total: 10 }), base, 20),
      big,
      at(track(u, 'alice', 'cart', { total: 90 }), base, 40),
      at(track(u, 'alice', 'cart', { total: 80 }), base, 50, big.messageId),
      at(track(u, 'alice', 'paid'), base, 60),
    ];
    await t.produce(live);
    await until(async () => ((await kept('alice')).length === 6 ? true : undefined), 20_000, 'archived');
    const runsDone = async () => {
      const { rows } = await withTenant(db, u, (tx) =>
        tx.execute<{ status: string }>(sql`select status from runs where tenant_id = ${u}::uuid and user_id = 'alice'`),
      );
      return rows.length === 2 && rows.every((r) => r.status === 'completed') ? true : undefined;
    };
    await until(runsDone, 20_000, 'engine runs');

    await unpublish(db, u, workflowId);
    await until(() => (t.engine.cache.route(u, 'cart') ? undefined : true), 5000, 'workflow unloaded');
    await t.produce([at(track(u, 'alice', 'cart', { total: 99 }), Date.now(), 0)]);
    await until(async () => ((await kept('alice')).length === 7 ? true : undefined), 20_000, 'archived after pause');

    const x = await withTenant(db, u, (tx) =>
      explainUserHistory(tx, store, { tenantId: u, workflowId, userId: 'alice' }),
    );
    expect(x.events.map((e) => e.reasons.map((r) => r.code))).toEqual([
      ['no_trigger'],
      ['filtered'],
      ['started'],
      ['frequency_limited'],
      ['duplicate'],
      ['resumed'],
      ['unpublished'],
    ]);
    expect(x.events[1]?.lines[0]).toBe(
      "The trigger's filter (total > 50) was false: it read event.properties.total = 10.",
    );
    expect(x.events[5]?.inRuns).toMatchObject([{ runId: 'run-1', waiting: { nodeId: 'w', event: 'paid' } }]);
    expect(x.differences).toEqual([]);
    expect(x.runs.map((r) => [r.status, r.engineRunId !== null, r.trace?.startsWith('/app/runs/')])).toEqual([
      ['completed', true, true],
      ['completed', true, true],
    ]);
  });

  it('answers bad input with a clear refusal', async () => {
    const { workflowId } = await publish(db, tenant.tenantId, {
      name: 'bad input',
      nodes: [{ id: 't', type: 'trigger.event', config: { event: 'x' } }],
      edges: [],
    });
    const ask = (o: { userId: string; from?: Date; workflowId?: string }) =>
      withTenant(db, tenant.tenantId, (tx) =>
        explainUserHistory(tx, store, { tenantId: tenant.tenantId, workflowId, ...o }),
      ).then(
        () => 'answered',
        (e: Error & { code?: string }) => `${e.code}: ${e.message}`,
      );
    expect(await ask({ userId: 'nobody' })).toBe(
      'unknown_user: No events from user "nobody" in the last 7 days (the history kept), so there is nothing to explain',
    );
    expect(await ask({ userId: 'alice', from: new Date(Date.now() - 10 * 86_400_000) })).toMatch(
      /^out_of_retention: Event history is kept for 7 days: the earliest you can ask about is /,
    );
    expect(await ask({ userId: 'alice', workflowId: crypto.randomUUID() })).toBe('not_found: No such workflow');
  });
});
