import { randomUUID } from 'node:crypto';
import {
  actionDeliveries,
  createDb,
  postgresEventHistory,
  profiles,
  runs,
  tenants,
  userConsent,
  withTenant,
} from '@tripwire/db';
import { type ActionJob, actionQueue } from '@tripwire/rules';
import { mergeConsent } from '@tripwire/web/src/services/consent.ts';
import { deleteUserData, liftSuppression } from '@tripwire/web/src/services/user-deletion.ts';
import { and, eq, sql } from 'drizzle-orm';
import { PgBoss } from 'pg-boss';
import { afterAll, describe, expect, it } from 'vitest';
import { engineSuite } from '../test/engine-suite.ts';
import { publish, track, until } from '../test/fixtures.ts';

// Consent and the right to be forgotten, through the real engine, Kafka, Postgres and pg-boss.
// Consent and deletions are written by the web app's own services (what /v1 calls).

const s = engineSuite('privacy');
const { db, at } = s;
// Superuser: sees every tenant's rows and every schema, to prove nothing of a deleted user is left.
const admin = createDb({ connectionString: process.env.DATABASE_ADMIN_URL as string, max: 1 });
afterAll(() => admin.close());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const withConsent = <N extends { config: object }>(node: N, consent: string) => ({
  ...node,
  config: { ...node.config, consent },
});
type Step = { nodeId: string; output?: string; detail?: Record<string, unknown> };

async function setConsent(userId: string, preferences: Record<string, boolean>) {
  await withTenant(db, s.tenant.tenantId, (tx) => mergeConsent(tx, s.tenant.tenantId, [{ userId, preferences }]));
}

async function runsOfUser(userId: string) {
  return withTenant(db, s.tenant.tenantId, (tx) =>
    tx
      .select()
      .from(runs)
      .where(and(eq(runs.tenantId, s.tenant.tenantId), eq(runs.userId, userId))),
  );
}

describe('consent', () => {
  it('an action waits out a delay; consent withdrawn meanwhile stops it, and the trace says why', async () => {
    const tenantId = s.tenant.tenantId;
    await withTenant(db, tenantId, (tx) =>
      tx
        .update(tenants)
        .set({ consentCategories: ['marketing', 'analytics'], defaultConsentCategory: 'marketing' })
        .where(eq(tenants.id, tenantId)),
    );
    const { workflowId } = await publish(db, tenantId, {
      name: 'Promo later',
      nodes: [
        { id: 'start', type: 'trigger.event', config: { event: 'promo_signup' } },
        { id: 'later', type: 'wait.delay', config: { duration: 'PT2S' } },
        // No category of its own: the workspace default (marketing).
        s.webhook('promo', '/promo', { user: '{{ event.userId }}' }),
        // Needs none: a receipt goes out whatever the marketing consent.
        withConsent(s.webhook('receipt', '/receipt', { user: '{{ event.userId }}' }), 'none'),
      ],
      edges: [
        { source: 'start', target: 'later' },
        { source: 'later', target: 'promo' },
        { source: 'promo', target: 'receipt' },
      ],
    });
    await until(() => s.t.engine.cache.route(tenantId, 'promo_signup'), 5000, 'workflow loaded');
    const [keeps, withdraws, never] = ['keeps', 'withdraws', 'never'].map((u) => `${u}-${randomUUID()}`) as [
      string,
      string,
      string,
    ];
    await setConsent(keeps, { marketing: true });
    await setConsent(withdraws, { marketing: true, analytics: true });
    await s.t.produce([keeps, withdraws, never].map((u) => track(tenantId, u, 'promo_signup')));
    await until(
      async () => (await s.runs(workflowId)).filter((r) => r.status === 'waiting').length === 3,
      10_000,
      'three runs waiting',
    );
    // Between the trigger and the delayed action.
    await setConsent(withdraws, { marketing: false });

    const done = await until(
      async () => {
        const all = await s.runs(workflowId);
        return all.length === 3 && all.every((r) => r.status === 'completed') ? all : undefined;
      },
      15_000,
      'three completed runs',
    );
    await until(() => at('/receipt').length === 3, 10_000, 'three receipts');
    // Deliveries to one endpoint go out side by side, in no set order: the promo may land after the receipts.
    await until(() => at('/promo').length >= 1 || undefined, 10_000, 'the one promo');
    expect(at('/promo').map((r) => (r.json as { user: string }).user)).toEqual([keeps]);
    for (const user of [withdraws, never]) {
      const run = done.find((r) => r.userId === user);
      const promo = ((run?.path ?? []) as Step[]).find((p) => p.nodeId === 'promo');
      expect(promo?.output).toBe('next');
      expect(promo?.detail).toEqual({ skipped: 'consent', consent: 'marketing', reason: 'no consent for marketing' });
    }
    const kept = ((done.find((r) => r.userId === keeps)?.path ?? []) as Step[]).find((p) => p.nodeId === 'promo');
    expect(kept?.detail).toMatchObject({ consent: 'marketing', actionId: expect.stringMatching(/^msg_/) });
  });
});

describe('consent at delivery', () => {
  it('a queued action whose user withdrew consent meanwhile is not delivered; its delivery says skipped', async () => {
    const tenantId = s.tenant.tenantId;
    const user = `queued-${randomUUID()}`;
    await setConsent(user, { marketing: false });
    // The job as the engine enqueued it while the user still consented (a backlog, a retry).
    const boss = new PgBoss({
      connectionString: process.env.DATABASE_URL as string,
      schema: s.t.schema,
      supervise: false,
    });
    boss.on('error', () => {});
    await boss.start();
    const runId = randomUUID();
    const job = (actionId: string, path: string, consent?: string): ActionJob => ({
      tenantId,
      runId,
      workflowId: randomUUID(),
      version: 1,
      nodeId: path.slice(1),
      userId: user,
      type: 'action.webhook',
      nodeVersion: 1,
      actionId,
      config: { url: `${s.receiver.url}${path}`, method: 'POST', headers: {}, body: { user } },
      ...(consent ? { consent } : {}),
    });
    await boss.insert(actionQueue('action.webhook', 1), [
      { data: job('msg_withdrawn', '/withdrawn', 'marketing') },
      { data: job('msg_transactional', '/transactional') },
    ]);
    await until(() => at('/transactional').length === 1, 10_000, 'the action that needs no consent');
    const deliveries = await until(
      async () => {
        const rows = await withTenant(db, tenantId, (tx) =>
          tx
            .select({ outcome: actionDeliveries.outcome, error: actionDeliveries.error })
            .from(actionDeliveries)
            .where(and(eq(actionDeliveries.tenantId, tenantId), eq(actionDeliveries.actionId, 'msg_withdrawn'))),
        );
        return rows.length > 0 ? rows : undefined;
      },
      10_000,
      'the skipped delivery recorded',
    );
    await boss.stop({ graceful: false });
    expect(deliveries).toEqual([{ outcome: 'skipped', error: 'skipped: no consent for marketing' }]);
    expect(at('/withdrawn')).toEqual([]);
  });
});

/** Every table of every schema the platform writes, where a row mentions `needle` anywhere. */
async function rowsMentioning(needle: string, jobsSchema: string): Promise<Record<string, number>> {
  const { rows: tables } = await admin.db.execute<{ schema: string; name: string }>(sql`
    select table_schema as schema, table_name as name from information_schema.tables
    where table_schema in ('public', ${jobsSchema}) and table_type = 'BASE TABLE'`);
  const found: Record<string, number> = {};
  for (const t of tables) {
    const { rows } = await admin.db.execute<{ n: number }>(
      sql`select count(*)::int as n from ${sql.identifier(t.schema)}.${sql.identifier(t.name)} x
          where strpos(row_to_json(x)::text, ${needle}) > 0`,
    );
    if ((rows[0]?.n ?? 0) > 0) found[`${t.schema}.${t.name}`] = rows[0]?.n ?? 0;
  }
  return found;
}

describe('DELETE /v1/users/:userId (deleteUserData)', () => {
  it('leaves nothing of the user in any table, sends nothing for them later, and suppresses their events', async () => {
    const tenantId = s.tenant.tenantId;
    // The workspace's default (marketing, from the test above) is not what this test is about.
    const hook = (id: string, path: string) => withConsent(s.webhook(id, path, { user: '{{ event.userId }}' }), 'none');
    const { workflowId } = await publish(db, tenantId, {
      name: 'Everything a user leaves behind',
      nodes: [
        { id: 'start', type: 'trigger.event', config: { event: 'forget_me' } },
        {
          id: 'often',
          type: 'condition.count',
          config: { event: 'forget_me', atLeast: 1, within: 'PT1H' },
        },
        { id: 'later', type: 'wait.delay', config: { duration: 'PT3S' } },
        hook('delayed', '/delayed'),
        { id: 'reply', type: 'wait.event', config: { event: 'forget_reply', timeout: 'PT1H' } },
        hook('replied', '/replied'),
        hook('now', '/now'),
        // A look-up whose answer is cached for the user (the receiver answers {}).
        {
          id: 'profile',
          type: 'lookup.http',
          config: { url: `${s.receiver.url}/profile/{{ event.userId }}`, cacheFor: 'PT1H' },
        },
      ],
      edges: [
        { source: 'start', target: 'profile' },
        { source: 'start', target: 'often' },
        { source: 'often', sourceHandle: 'true', target: 'later' },
        { source: 'often', sourceHandle: 'true', target: 'reply' },
        { source: 'often', sourceHandle: 'true', target: 'now' },
        { source: 'later', target: 'delayed' },
        { source: 'reply', sourceHandle: 'received', target: 'replied' },
      ],
    });
    await until(() => s.t.engine.cache.route(tenantId, 'forget_me'), 5000, 'workflow loaded');
    const gone = `gone-${randomUUID()}`;
    const kept = `kept-${randomUUID()}`;
    await withTenant(db, tenantId, async (tx) => {
      await tx.insert(profiles).values([
        { tenantId, userId: gone, traits: { email: `${gone}@example.com` } },
        { tenantId, userId: kept, traits: {} },
      ]);
      await tx.insert(userConsent).values({ tenantId, userId: gone, preferences: { marketing: true } });
    });
    await s.t.produce([track(tenantId, gone, 'forget_me'), track(tenantId, kept, 'forget_me')]);
    await until(() => at('/now').length === 2, 15_000, 'the immediate actions');
    await until(
      async () => (await s.runs(workflowId)).filter((r) => r.status === 'waiting').length === 2,
      10_000,
      'both runs waiting (a delay and an awaited event)',
    );
    // Their kept events (the archiver is off in these tests: stored the way it stores them).
    const history = postgresEventHistory(db, { maxDays: 7 });
    const now = new Date().toISOString();
    const kept1 = {
      tenantId,
      type: 'track',
      event: 'forget_me',
      timestamp: now,
      receivedAt: now,
      properties: {},
    } as const;
    await history.append([
      { ...kept1, userId: gone, messageId: `h-${gone}` },
      { ...kept1, userId: kept, messageId: `h-${kept}` },
    ]);
    expect(Object.keys(await rowsMentioning(gone, s.t.schema)).length).toBeGreaterThan(3);

    const record = await withTenant(db, tenantId, (tx) =>
      deleteUserData(tx, { tenantId, userId: gone, requestedBy: 'api key test', jobsSchema: s.t.schema }),
    );
    expect(record.counts).toMatchObject({
      runs: 1,
      profiles: 1,
      consent: 1,
      waiters: 1,
      userMarks: 1,
      lookupAnswers: 1,
      event_history: 1,
    });
    const range = { from: new Date(Date.now() - 3_600_000), to: new Date(Date.now() + 60_000) };
    const left = await withTenant(db, tenantId, async (tx) => ({
      gone: await history.byUser(tx, tenantId, gone, range, 10),
      kept: await history.byUser(tx, tenantId, kept, range, 10),
    }));
    expect([left.gone.length, left.kept.length]).toEqual([0, 1]);
    expect(record.counts.jobs).toBeGreaterThanOrEqual(3); // the delay's resume, the wait's timeout, /now
    expect(await rowsMentioning(gone, s.t.schema)).toEqual({});
    // The tables with a user id column (information_schema, so new tables are covered) hold none of theirs.
    const { rows: userTables } = await admin.db.execute<{ name: string }>(sql`
      select table_name as name from information_schema.columns
      where table_schema = 'public' and column_name = 'user_id' and data_type = 'text'`);
    expect(userTables.map((t) => t.name)).toEqual(expect.arrayContaining(['runs', 'profiles', 'user_consent']));
    for (const t of userTables) {
      const { rows } = await admin.db.execute<{ n: number }>(
        sql`select count(*)::int as n from ${sql.identifier(t.name)} where user_id = ${gone}`,
      );
      expect(rows[0]?.n, t.name).toBe(0);
    }
    // The record says what went, not whose: no user id in it.
    const { rows: recorded } = await admin.db.execute<{ row: string }>(
      sql`select row_to_json(d)::text as row from user_deletions d where id = ${record.id}::uuid`,
    );
    expect(recorded[0]?.row).not.toContain(gone);

    // The delayed action of the user who stayed goes out; nothing goes out for the deleted one, and
    // their events (already in Kafka, or new) start nothing.
    await s.t.produce([track(tenantId, gone, 'forget_reply'), track(tenantId, gone, 'forget_me')]);
    await until(() => at('/delayed').length === 1, 10_000, 'the kept user’s delayed action');
    await sleep(1500);
    const sentFor = (user: string) =>
      s.receiver.received.filter((r) => (r.json as { user?: string } | undefined)?.user === user).map((r) => r.path);
    expect(sentFor(gone)).toEqual(['/now']); // sent before the deletion, and nothing since
    expect(sentFor(kept).sort()).toEqual(['/delayed', '/now']);
    expect(await runsOfUser(gone)).toEqual([]);
    expect(await rowsMentioning(gone, s.t.schema)).toEqual({});

    // Lifted: the user id is an ordinary (new) user again.
    expect(await withTenant(db, tenantId, (tx) => liftSuppression(tx, tenantId, gone))).toBe(true);
    await s.t.produce([track(tenantId, gone, 'forget_me')]);
    await until(async () => (await runsOfUser(gone)).length === 1, 10_000, 'a run for the lifted user');
  });
});
