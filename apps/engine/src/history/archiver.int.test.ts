import { randomUUID } from 'node:crypto';
import { deleteUserHistory, postgresEventHistory, tenants, withTenant } from '@tripwire/db';
import { eventKey } from '@tripwire/rules';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTenant, kafka, type TestTenant, testDb, track, until } from '../../test/fixtures.ts';
import { createLogger } from '../logger.ts';
import { type Archiver, createArchiver } from './archiver.ts';

// The event history against the real Kafka and Postgres: archived exactly once although the
// archiver restarts and its whole topic is delivered again; retention drops whole day partitions
// and a tenant's shorter window; deleting a user or a tenant deletes their history.
const { db, close } = testDb();
const DAY = 86_400_000;
let tenant: TestTenant;
let topic: string;
const groupId = `test-archiver-${randomUUID()}`;

function archiver(): Archiver {
  return createArchiver({
    brokers: (process.env.KAFKA_BROKERS as string).split(','),
    clientId: 'test-archiver',
    groupId,
    topic,
    fromBeginning: true,
    sessionTimeoutMs: 6000,
    databaseUrl: process.env.DATABASE_URL as string,
    maxDays: 30,
    logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
  });
}

const stored = (tenantId: string) =>
  withTenant(db, tenantId, async (tx) => {
    const { rows } = await tx.execute<{ message_id: string; n: string }>(
      sql`select message_id, count(*) as n from event_history where tenant_id = ${tenantId}::uuid group by message_id`,
    );
    return rows;
  });

/** A message as ingestion writes it, received `daysAgo` days ago. */
function receivedDaysAgo(tenantId: string, userId: string, daysAgo: number) {
  const at = new Date(Date.now() - daysAgo * DAY).toISOString();
  const messageId = `old-${randomUUID()}`;
  return {
    tenantId,
    userId,
    messageId,
    type: 'track' as const,
    event: 'old',
    timestamp: at,
    receivedAt: at,
    properties: { daysAgo },
  };
}

beforeAll(async () => {
  tenant = await createTestTenant(db);
  topic = await kafka.createTopic('archiver', 3);
});
afterAll(() => close());

describe('event history archiver (real Kafka and Postgres)', () => {
  it('keeps every event exactly once across a restart that redelivers the whole topic', async () => {
    const first = Array.from({ length: 1500 }, (_, i) => track(tenant.tenantId, `u${i % 50}`, 'viewed', { i }));
    await kafka.produce(topic, first);
    let a = archiver();
    await a.start();
    await until(async () => ((await stored(tenant.tenantId)).length === 1500 ? true : undefined), 30_000, 'first');
    await a.stop();

    // As if the archiver had died before committing anything: the group starts over from the
    // beginning, and events produced while it was down come too.
    const admin = kafka.kafka.admin();
    await admin.connect();
    await admin.resetOffsets({ groupId, topic, earliest: true });
    await admin.disconnect();
    const second = Array.from({ length: 500 }, (_, i) => track(tenant.tenantId, `u${i % 50}`, 'bought', { i }));
    await kafka.produce(topic, second);
    a = archiver();
    await a.start();
    await until(async () => ((await a.consumer.lag()) === 0 ? true : undefined), 30_000, 'caught up');
    const rows = await stored(tenant.tenantId);
    await a.stop();

    expect(rows).toHaveLength(2000);
    expect(rows.every((r) => Number(r.n) === 1)).toBe(true);
    expect(new Set(rows.map((r) => r.message_id))).toEqual(new Set([...first, ...second].map((m) => m.messageId)));
    // Redelivered rows were skipped, not rewritten.
    expect(a.archived()).toBe(500);

    const store = postgresEventHistory(db, { maxDays: 30 });
    const range = { from: new Date(Date.now() - DAY), to: new Date(Date.now() + 60_000) };
    const u7 = await withTenant(db, tenant.tenantId, (tx) => store.byUser(tx, tenant.tenantId, 'u7', range, 1000));
    expect(u7).toHaveLength(40);
    expect(u7.map((e) => e.receivedAt)).toEqual([...u7.map((e) => e.receivedAt)].sort());
    expect(u7[0]).toMatchObject({ userId: 'u7', type: 'track', event: 'viewed' });
    expect(u7.every((e) => Number(e.properties?.i) % 50 === 7)).toBe(true);
    const bought = await withTenant(db, tenant.tenantId, (tx) =>
      store.byName(tx, tenant.tenantId, ['bought'], range, 10_000),
    );
    expect(bought).toHaveLength(500);
  });

  it('skips malformed messages and events of unknown tenants without failing the batch', async () => {
    const ghost = randomUUID();
    const t = await kafka.createTopic('archiver-bad', 1);
    const good = track(tenant.tenantId, 'bad-batch', 'ok');
    await kafka.produce(t, [
      { key: 'x', value: '{not json' },
      track(ghost, 'nobody', 'ok'),
      good,
      { key: eventKey(tenant.tenantId, 'y'), value: JSON.stringify({ v: 1, type: 'track' }) },
    ]);
    const a = createArchiver({
      brokers: (process.env.KAFKA_BROKERS as string).split(','),
      clientId: 'test-archiver',
      groupId: `test-archiver-${randomUUID()}`,
      topic: t,
      fromBeginning: true,
      sessionTimeoutMs: 6000,
      databaseUrl: process.env.DATABASE_URL as string,
      maxDays: 30,
      logger: createLogger('silent'),
    });
    await a.start();
    await until(async () => ((await a.consumer.lag()) === 0 ? true : undefined), 30_000, 'caught up');
    await a.stop();
    expect(a.archived()).toBe(1);
    expect((await stored(ghost)).length).toBe(0);
  });

  it.each(['copy', 'json'] as const)(
    'stores text as sent and skips what is stored when a batch comes again (%s)',
    async (strategy) => {
      const t = await createTestTenant(db, `append-${strategy}`);
      const store = postgresEventHistory(db, { maxDays: 30, strategy });
      const at = (ms: number) => new Date(Date.now() - 60_000 + ms).toISOString();
      // Everything COPY's text format must escape: tab, newline, carriage return, backslash, and \N.
      const odd = ['tab\there', 'line\nbreak', 'cr\rhere', 'back\\slash', '\\N', 'ünïcødé ✓'];
      const rows = odd.map((userId, i) => ({
        tenantId: t.tenantId,
        userId,
        messageId: `m\t${i}\\`,
        type: i === 0 ? ('identify' as const) : ('track' as const),
        event: i === 0 ? null : `ev\n${i}`,
        timestamp: at(i),
        receivedAt: at(i),
        properties: i === 1 ? null : { text: userId, nested: { quote: '"\\u0041', n: i }, list: [userId, null] },
      }));
      expect(await store.append(rows)).toBe(rows.length);
      const range = { from: new Date(Date.now() - DAY), to: new Date(Date.now() + 60_000) };
      for (const r of rows) {
        const [kept] = await withTenant(db, t.tenantId, (tx) => store.byUser(tx, t.tenantId, r.userId, range, 10));
        expect(kept).toEqual(r);
      }
      // A redelivery that overlaps: the stored rows are skipped, the new one is added, nothing twice.
      const more = { ...(rows[2] as (typeof rows)[number]), messageId: 'new', receivedAt: at(50), timestamp: at(50) };
      expect(await store.append([...rows, more])).toBe(1);
      expect(await store.append([...rows, more])).toBe(0);
      const counts = await stored(t.tenantId);
      expect(counts).toHaveLength(rows.length + 1);
      expect(counts.every((c) => Number(c.n) === 1)).toBe(true);
    },
  );

  it('drops day partitions past the maximum whole, and expires a tenant that keeps less', async () => {
    const wide = postgresEventHistory(db, { maxDays: 60 });
    const other = await createTestTenant(db, 'retention');
    await withTenant(db, other.tenantId, (tx) =>
      tx.update(tenants).set({ historyRetentionDays: 3 }).where(eq(tenants.id, other.tenantId)),
    );
    const rows = [
      receivedDaysAgo(tenant.tenantId, 'r', 45),
      receivedDaysAgo(tenant.tenantId, 'r', 5),
      receivedDaysAgo(other.tenantId, 'r', 10),
      receivedDaysAgo(other.tenantId, 'r', 1),
    ];
    expect(await wide.append(rows)).toBe(4);
    const day45 = `event_history_${new Date(Date.parse(rows[0]?.receivedAt as string)).toISOString().slice(0, 10).replaceAll('-', '')}`;
    const partitions = async () =>
      (
        await db.execute<{ name: string }>(
          sql`select c.relname as name from pg_inherits i join pg_class c on c.oid = i.inhrelid where i.inhparent = 'event_history'::regclass`,
        )
      ).rows.map((r) => r.name);
    expect(await partitions()).toContain(day45);

    const result = await postgresEventHistory(db, { maxDays: 30 }).maintain(new Date());
    expect(result.dropped).toContain(day45);
    expect(await partitions()).not.toContain(day45);
    expect(result.expired).toBeGreaterThanOrEqual(1);
    const left = async (tenantId: string) =>
      (
        await withTenant(db, tenantId, (tx) =>
          tx.execute<{ message_id: string }>(sql`select message_id from event_history where user_id = 'r'`),
        )
      ).rows.map((r) => r.message_id);
    // The 7-day tenant (the default) keeps its 5-day-old event; the 3-day tenant only its 1-day-old one.
    expect(await left(tenant.tenantId)).toEqual([rows[1]?.messageId]);
    expect(await left(other.tenantId)).toEqual([rows[3]?.messageId]);
  });

  it("deletes a user's history, and a tenant's with the tenant", async () => {
    const t = await createTestTenant(db, 'deletion');
    const store = postgresEventHistory(db, { maxDays: 30 });
    await store.append([
      receivedDaysAgo(t.tenantId, 'alice', 1),
      receivedDaysAgo(t.tenantId, 'alice', 2),
      receivedDaysAgo(t.tenantId, 'bob', 1),
    ]);
    expect(await withTenant(db, t.tenantId, (tx) => deleteUserHistory(tx, t.tenantId, 'alice'))).toBe(2);
    expect((await stored(t.tenantId)).length).toBe(1);
    await withTenant(db, t.tenantId, (tx) => tx.delete(tenants).where(eq(tenants.id, t.tenantId)));
    const { rows } = await db.execute(
      sql`select count(*)::int as n from event_history where tenant_id = ${t.tenantId}::uuid`,
    );
    // RLS hides other tenants' rows from this connection, so count as the (deleted) tenant too.
    expect(rows[0]).toEqual({ n: 0 });
    expect((await stored(t.tenantId)).length).toBe(0);
  });
});
