import { deadLetters, endpointCircuits, withTenant } from '@tripwire/db';
import { listEndpoints } from '@tripwire/web/src/services/endpoints.ts';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestTenant,
  publish,
  type Receiver,
  startReceiver,
  startTestEngine,
  type TestTenant,
  testDb,
  track,
  until,
} from '../test/fixtures.ts';
import { startSlowEndpoint } from '../test/slow-endpoint.ts';

// Tenant A's endpoint takes 10 s per request and A has 3,000 actions queued; tenant B sends one event.
// B's webhook must not wait behind A's, and A's endpoint must never see more than K requests at once.
const K = 5;
const A_ACTIONS = 3000;
const { db, close } = testDb();
let engine: Awaited<ReturnType<typeof startTestEngine>>;
let a: TestTenant;
let b: TestTenant;
let c: TestTenant;
let slow: Awaited<ReturnType<typeof startSlowEndpoint>>;
let flaky: Awaited<ReturnType<typeof startSlowEndpoint>>;
let receiver: Receiver;

const flow = (event: string, url: string) => ({
  name: `on ${event}`,
  nodes: [
    { id: 'start', type: 'trigger.event', config: { event } },
    { id: 'hook', type: 'action.webhook', config: { url, body: { n: '{{ event.properties.n }}' } } },
  ],
  edges: [{ source: 'start', target: 'hook' }],
});

beforeAll(async () => {
  [a, b, c] = [await createTestTenant(db, 'A'), await createTestTenant(db, 'B'), await createTestTenant(db, 'C')];
  slow = await startSlowEndpoint(10_000);
  flaky = await startSlowEndpoint(0);
  receiver = await startReceiver(() => b.secret);
  engine = await startTestEngine('fairness', {
    ACTION_ENDPOINT_CONCURRENCY: String(K),
    CIRCUIT_FAILURES: '3',
    CIRCUIT_PAUSE_SECONDS: '3',
    ACTION_RETRY_LIMIT: '20',
  });
  await publish(db, a.tenantId, flow('burst', `${slow.url}/a`));
  await publish(db, b.tenantId, flow('ping', `${receiver.url}/b`));
  await publish(db, c.tenantId, flow('order', `${flaky.url}/c`));
  await until(
    () =>
      engine.engine.cache.route(a.tenantId, 'burst') &&
      engine.engine.cache.route(b.tenantId, 'ping') &&
      engine.engine.cache.route(c.tenantId, 'order'),
    5000,
    'workflows loaded',
  );
});

afterAll(async () => {
  await engine?.stop();
  await Promise.all([slow?.close(), flaky?.close(), receiver?.close()]);
  await close();
});

/** A's action jobs not yet delivered (queued, retrying or in flight). */
async function aQueued() {
  const { rows } = await db.execute<{ n: number }>(
    sql.raw(
      `select count(*)::int as n from ${engine.schema}.job where name = 'action.webhook.v1' and state in ('created','retry','active') and group_id like '${a.tenantId}|%'`,
    ),
  );
  return rows[0]?.n ?? 0;
}

describe('fair action dispatch (real Kafka, Postgres and HTTP endpoints)', () => {
  it("delivers B's action within 2 s while A's slow endpoint has 3,000 queued, and A's endpoint never sees more than K at once", async () => {
    await engine.produce(
      Array.from({ length: A_ACTIONS }, (_, i) => track(a.tenantId, `a${i % 50}`, 'burst', { n: i })),
    );
    await until(async () => (await aQueued()) >= A_ACTIONS - K * 2, 60_000, "A's actions queued");
    await until(() => slow.open === K, 10_000, "A's endpoint busy");

    const sent = Date.now();
    await engine.produce([track(b.tenantId, 'b1', 'ping', { n: 1 })]);
    const [hit] = await until(() => (receiver.received.length ? receiver.received : undefined), 10_000, "B's webhook");
    const latency = (hit?.at ?? Number.POSITIVE_INFINITY) - sent;
    expect(hit?.verified).toBe(true);
    expect(latency).toBeLessThan(2000);

    // A's endpoint stays busy at its limit, and never above it.
    await new Promise((r) => setTimeout(r, 11_000));
    expect(slow.answered).toBeGreaterThanOrEqual(K);
    expect(slow.maxOpen).toBe(K);
    expect(await aQueued()).toBeGreaterThan(A_ACTIONS - 4 * K);
  });

  it('pauses an endpoint that keeps failing, keeps its deliveries, and resumes on its own', async () => {
    flaky.answerWith(500);
    await engine.produce(Array.from({ length: 10 }, (_, i) => track(c.tenantId, `c${i}`, 'order', { n: i })));
    const circuit = () =>
      withTenant(db, c.tenantId, (tx) =>
        tx.select().from(endpointCircuits).where(eq(endpointCircuits.tenantId, c.tenantId)),
      );
    const [opened] = await until(
      async () => {
        const rows = await circuit();
        return rows[0]?.state === 'open' ? rows : undefined;
      },
      15_000,
      'circuit open',
    );
    expect(opened).toMatchObject({ endpoint: flaky.url, state: 'open', failures: 3 });
    expect(opened?.lastError).toMatch(/500/);
    // What the API (GET /v1/endpoints) and Settings show: paused, with its deliveries kept.
    const shown = await withTenant(db, c.tenantId, (tx) => listEndpoints(tx, engine.schema, c.tenantId));
    expect(shown).toEqual([expect.objectContaining({ endpoint: flaky.url, state: 'paused', failures: 3 })]);
    expect(shown[0]?.waiting).toBe(10);

    // Paused: nothing reaches the endpoint until the pause is over.
    await new Promise((r) => setTimeout(r, 300));
    const during = flaky.answered;
    await new Promise((r) => setTimeout(r, 1000));
    expect(flaky.answered).toBe(during);

    // The endpoint recovers: the circuit closes on its own and every delivery arrives, none lost.
    flaky.answerWith(200);
    await until(
      async () => {
        const rows = await circuit();
        return rows[0]?.state === 'closed' ? rows : undefined;
      },
      30_000,
      'circuit closed',
    );
    await until(
      async () => {
        const { rows: done } = await db.execute<{ n: number }>(
          sql.raw(
            `select count(*)::int as n from ${engine.schema}.job where name = 'action.webhook.v1' and state = 'completed' and group_id like '${c.tenantId}|%'`,
          ),
        );
        return (done[0]?.n ?? 0) === 10;
      },
      30_000,
      'all ten delivered',
    );
    const dead = await withTenant(db, c.tenantId, (tx) =>
      tx.select().from(deadLetters).where(eq(deadLetters.tenantId, c.tenantId)),
    );
    expect(dead).toEqual([]);
  });
});
