// Runs a parity scenario twice: through the real engine (Kafka, Postgres, pg-boss, HTTP) in real
// time, and through the in-memory replay (packages/rules) in simulated time; returns both as
// comparable run records.
import { randomUUID } from 'node:crypto';
import { type Database, profiles, runs, withTenant } from '@tripwire/db';
import { compileWorkflow, createReplay, loadPlan, type PathEntry, tenantTopic } from '@tripwire/rules';
import { eq } from 'drizzle-orm';
import { createTestTenant, kafka, publish, type Receiver, type startTestEngine, until } from '../fixtures.ts';
import { type Scenario, TICK_SECONDS, USERS } from './scenario.ts';

type TestEngine = Awaited<ReturnType<typeof startTestEngine>>;

/** What a run did, in terms both sides can be held to: the path, its outputs, what it sent. */
export interface RunRecord {
  status: string;
  /**
   * Each node's outputs, by node, as a multiset. Steps of different branches that fall due at the
   * same instant (a wait's timeout and a delay of the same length) interleave in whatever order the
   * engine's jobs come back, and on a loaded machine a resume that runs late can let a later
   * arrival at a node overtake an earlier one; what each node decided, and how often, is compared.
   */
  path: [string, (string | null)[]][];
  /** [nodeId, what arrived] per action, sorted; an action.log sends nothing to look at (null). */
  actions: [string, unknown][];
}

export interface ScenarioContext {
  db: Database;
  t: TestEngine;
  receiver: Receiver;
  topic: string;
}

function pathOf(path: PathEntry[]): [string, (string | null)[]][] {
  const byNodeId = new Map<string, (string | null)[]>();
  for (const p of path) byNodeId.set(p.nodeId, [...(byNodeId.get(p.nodeId) ?? []), p.output ?? null]);
  const order = (x: string | null) => x ?? '';
  return [...byNodeId.entries()]
    .map(([id, outputs]): [string, (string | null)[]] => [id, outputs.sort((a, b) => (order(a) < order(b) ? -1 : 1))])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
/** Actions as a multiset: by node, then by what arrived (branches may fire in either order). */
const byNode = (a: [string, unknown], b: [string, unknown]) => {
  const [x, y] = [`${a[0]}\u0000${JSON.stringify(a[1])}`, `${b[0]}\u0000${JSON.stringify(b[1])}`];
  return x < y ? -1 : x > y ? 1 : 0;
};
const sleepUntil = (at: number) => new Promise((r) => setTimeout(r, Math.max(0, at - Date.now())));

/** What an action of each type puts where the test can see it (the replay's payload, rendered). */
function observed(type: string, payload: Record<string, unknown>): unknown {
  if (type === 'action.webhook') return payload.body;
  if (type === 'action.slack') return { text: payload.text };
  if (type === 'action.kafka') return payload.value;
  return null;
}

/** Reads a topic the engine just made; a broker still settling its partitions answers retriably. */
async function readRetrying(topic: string, count: number) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await kafka.read(topic, count, 20_000);
    } catch (error) {
      if (attempt >= 3 || !(error as { retriable?: boolean }).retriable) throw error;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

export async function runScenario(generated: Scenario, c: ScenarioContext) {
  // As JSON, the way events and documents reach the engine (fast-check makes null-prototype objects).
  const scenario = JSON.parse(JSON.stringify(generated)) as Scenario;
  // A tenant of its own: the scenario's workflows see only its events.
  const { tenantId } = await createTestTenant(c.db);
  const tag = randomUUID().slice(0, 8);
  await withTenant(c.db, tenantId, (tx) =>
    tx
      .insert(profiles)
      .values(USERS.map((u) => ({ tenantId, userId: `${tag}-${u}`, traits: scenario.traits[u] ?? {} }))),
  );
  const published: { workflowId: string; version: number }[] = [];
  for (const doc of scenario.workflows) published.push(await publish(c.db, tenantId, doc));
  const triggerOf = (i: number) => String(scenario.workflows[i]?.nodes[0]?.config.event);
  await until(
    () =>
      published.every((p, i) =>
        c.t.engine.cache.route(tenantId, triggerOf(i))?.triggers.some((x) => x.plan.workflowId === p.workflowId),
      ) || undefined,
    10_000,
    'every workflow loaded',
  );

  // Even seconds: waits end on odd ones (see scenario.ts).
  const t0 = Math.ceil((Date.now() + 1500) / 2000) * 2000;
  const events = scenario.events.map((e, i) => ({
    ...e,
    userId: `${tag}-${e.userId}`,
    messageId: `${tag}-m${i}`,
    at: t0 + e.tick * TICK_SECONDS * 1000,
  }));
  const ticks = [...new Set(events.map((e) => e.tick))];
  for (const tick of ticks) {
    const batch = events.filter((e) => e.tick === tick);
    await sleepUntil(t0 + tick * TICK_SECONDS * 1000);
    await c.t.produce(
      batch.map((e) => ({
        key: `${tenantId}:${e.userId}`,
        value: JSON.stringify({
          v: 1,
          type: 'track',
          tenantId: tenantId,
          messageId: e.messageId,
          userId: e.userId,
          event: e.name,
          properties: e.properties,
          timestamp: new Date(e.at).toISOString(),
          receivedAt: new Date().toISOString(),
        }),
      })),
    );
  }

  // The replay: the same plans, events and traits, in simulated time.
  const ids: string[] = published.map((p) => p.workflowId);
  const replay = createReplay({
    workflows: scenario.workflows.map((doc, i) => ({
      workflowId: ids[i] as string,
      version: 1,
      plan: loadPlan(compileWorkflow(doc)),
    })),
    traits: (userId) => scenario.traits[userId.slice(tag.length + 1)] ?? {},
  });
  for (const e of events) await replay.event({ ...e, timestamp: new Date(e.at).toISOString() });
  await replay.advanceTo(Number.MAX_SAFE_INTEGER);
  const expected = new Map<string, RunRecord>();
  for (const run of replay.runs) {
    const plan = loadPlan(compileWorkflow(scenario.workflows[ids.indexOf(run.workflowId)] as never));
    expected.set(`${run.workflowId}/${run.trigger.messageId}`, {
      status: run.status,
      path: pathOf(run.path),
      actions: run.actions
        .map((a): [string, unknown] => [a.nodeId, observed(plan.nodes.get(a.nodeId)?.def.type ?? '', a.payload)])
        .sort(byNode),
    });
  }

  // The engine, once it is done: every event consumed (else a run it has yet to start would be
  // missed), no run waiting or running, and every action arrived.
  await until(
    async () => (await kafka.consumedAll(c.t.topic, c.t.env.KAFKA_GROUP_ID)) || undefined,
    60_000,
    'engine consumed every event',
  );
  const rows = await until(
    async () => {
      const found = await withTenant(c.db, tenantId, (tx) => tx.select().from(runs).where(eq(runs.tenantId, tenantId)));
      const mine = found.filter((r) => ids.includes(r.workflowId));
      return mine.some((r) => r.status === 'waiting' || r.status === 'running') ? undefined : mine;
    },
    60_000,
    'engine runs settled',
  );
  const sentIds = rows.flatMap((r) =>
    (r.path as PathEntry[]).map((p) => p.detail?.actionId).filter((id): id is string => typeof id === 'string'),
  );
  const observable = rows.flatMap((r) =>
    (r.path as PathEntry[]).filter((p) => p.detail?.actionId && p.type !== 'action.log'),
  );
  const kafkaSent = observable.filter((p) => p.type === 'action.kafka').length;
  // A workflow's topic is in its tenant's namespace (and this scenario's tenant is new).
  const topicMessages = kafkaSent > 0 ? await readRetrying(tenantTopic(tenantId, c.topic), kafkaSent) : [];
  const delivered = (id: unknown) => c.receiver.received.some((r) => r.headers['webhook-id'] === id);
  await until(
    () => observable.filter((p) => p.type !== 'action.kafka').every((p) => delivered(p.detail?.actionId)) || undefined,
    30_000,
    'every webhook arrived',
  );
  const arrived = new Map<string, unknown>();
  for (const r of c.receiver.received) arrived.set(String(r.headers['webhook-id']), r.json);
  for (const m of topicMessages) arrived.set(m.headers['tripwire-action-id'] ?? '', JSON.parse(m.value));
  const actual = new Map<string, RunRecord>();
  for (const r of rows) {
    const path = r.path as PathEntry[];
    actual.set(`${r.workflowId}/${(r.triggerEvent as { messageId: string }).messageId}`, {
      status: r.status,
      path: pathOf(path),
      actions: path
        .filter((p) => typeof p.detail?.actionId === 'string')
        .map((p): [string, unknown] => {
          const seen = arrived.get(p.detail?.actionId as string) ?? 'not delivered';
          return [p.nodeId, p.type === 'action.log' ? null : seen];
        })
        .sort(byNode),
    });
  }
  return { expected, actual, runs: rows.length, actions: sentIds.length, tenantId };
}
