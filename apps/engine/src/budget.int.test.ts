import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { type Database, runs, withTenant, workflows, workflowVersionProblems, workflowVersions } from '@tripwire/db';
import { compileWorkflow, type WorkflowDocumentInput } from '@tripwire/rules';
import { type EngineProcess, startEngineProcess } from '@tripwire/testing';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTenant, kafka, publish, startReceiver, testDb, track, until } from '../test/fixtures.ts';

// Issue 16: a 140-byte rule that doubles a list on every item of a reduce ran the engine (256 MB
// heap, as shipped) out of memory, and since the batch's offset is committed only after it, the
// restarted engine met the same event again. Publishing refuses such a rule over its own list now,
// and the engine refuses to load a version that has one (published before that check). A rule the
// event itself smuggles in (json-logic-js's `missing` re-reads an object key as a rule) no check can
// see: the evaluation budget must stop it at run time — the engine stays up, the partition moves
// on, other tenants' events still flow.

const ones = (n: number) => Array.from({ length: n }, () => 1);
const acc = { var: 'accumulator' };
const mergeBomb = { reduce: [ones(27), { merge: [acc, acc] }, [0]] };
const catBomb = { reduce: [ones(40), { cat: [acc, acc] }, 'ab'] };
/** Harmless as published; the event's `bomb` property becomes the rule it runs. */
const smuggled = { '!!': { missing: [{ var: 'event.properties.bomb' }] } };

const { db, close } = testDb();
const receiver = await startReceiver();
const schema = `pgboss_b_${randomBytes(5).toString('hex')}`;
let engine: EngineProcess | undefined;
let metricsUrl: string;

/** Publishes `doc` with `rules` put into its plan as is: a version from before publish checked them. */
async function publishUnchecked(
  database: Database,
  tenantId: string,
  doc: WorkflowDocumentInput,
  rules: Record<string, { field: string; logic: unknown }>,
) {
  const plan = compileWorkflow(doc);
  const document = structuredClone(doc) as { nodes: { id: string; config: Record<string, unknown> }[] };
  for (const [nodeId, { field, logic }] of Object.entries(rules)) {
    const node = plan.nodes[nodeId];
    if (!node?.rules[field]) throw new Error(`no rule ${field} on ${nodeId}`);
    node.rules[field].logic = logic;
    node.config[field] = logic;
    const config = document.nodes.find((n) => n.id === nodeId)?.config;
    if (config) config[field] = logic;
  }
  const workflowId = randomUUID();
  await withTenant(database, tenantId, async (tx) => {
    await tx.insert(workflows).values({ tenantId, id: workflowId, name: doc.name, draft: document });
    await tx.insert(workflowVersions).values({
      tenantId,
      workflowId,
      version: 1,
      document,
      plan,
      compilerVersion: String(plan.compilerVersion),
    });
    await tx
      .update(workflows)
      .set({ activeVersion: 1 })
      .where(and(eq(workflows.tenantId, tenantId), eq(workflows.id, workflowId)));
  });
  return workflowId;
}

const hook = (id: string, path: string) => ({
  id,
  type: 'action.webhook' as const,
  config: { url: `${receiver.url}${path}`, body: { user: '{{ event.userId }}' } },
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let attacker: string;
let victim: string;
let conditionFlow: string;
let plantedFlow: string;
let topic: string;

beforeAll(async () => {
  attacker = (await createTestTenant(db)).tenantId;
  victim = (await createTestTenant(db)).tenantId;
  // One partition: the bombs and everything after them share it, so a stuck partition shows.
  topic = await kafka.createTopic('budget-events', 1);
  await publish(db, attacker, {
    name: 'filter bomb',
    nodes: [
      { id: 'start', type: 'trigger.event', config: { event: 'boom', filter: smuggled } },
      hook('hook', '/never'),
    ],
    edges: [{ source: 'start', target: 'hook' }],
  });
  conditionFlow = (
    await publish(db, attacker, {
      name: 'condition bomb',
      nodes: [
        { id: 'start', type: 'trigger.event', config: { event: 'boom2' } },
        { id: 'check', type: 'condition.if', config: { logic: smuggled } },
        hook('hook', '/never'),
      ],
      edges: [
        { source: 'start', target: 'check' },
        { source: 'check', sourceHandle: 'true', target: 'hook' },
      ],
    })
  ).workflowId;
  plantedFlow = await publishUnchecked(
    db,
    attacker,
    {
      name: 'planted bomb',
      nodes: [
        { id: 'start', type: 'trigger.event', config: { event: 'boom', filter: { '!!': { var: 'x' } } } },
        hook('hook', '/never'),
      ],
      edges: [{ source: 'start', target: 'hook' }],
    },
    { start: { field: 'filter', logic: mergeBomb } },
  );
  for (const [tenantId, path] of [
    [victim, '/victim'],
    [attacker, '/attacker-fine'],
  ] as const) {
    await publish(db, tenantId, {
      name: 'ping',
      nodes: [{ id: 'start', type: 'trigger.event', config: { event: 'ping' } }, hook('hook', path)],
      edges: [{ source: 'start', target: 'hook' }],
    });
  }
  const port = await freePort();
  metricsUrl = `http://127.0.0.1:${port}/metrics`;
  engine = await startEngineProcess({
    // The heap the engine ships with (its start script): the bombs exhausted exactly this.
    NODE_OPTIONS: '--max-old-space-size=256',
    ENGINE_PORT: String(port),
    EVENTS_TOPIC: topic,
    DLQ_TOPIC: await kafka.createTopic('budget-dlq', 1),
    KAFKA_GROUP_ID: `budget-${randomUUID()}`,
    JOBS_SCHEMA: schema,
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    LOG_LEVEL: 'info',
  });
}, 120_000);

afterAll(async () => {
  await engine?.stop();
  await db.execute(sql.raw(`drop schema if exists ${schema} cascade`)).catch(() => {});
  await receiver.close();
  await close();
});

describe('evaluation budget in the engine (real Kafka, Postgres, the shipped heap)', () => {
  it('stops the reduce/merge and cat bombs: the engine stays up and every later event is processed', async () => {
    const before = [
      track(attacker, 'mallory', 'boom', { bomb: mergeBomb }),
      track(attacker, 'mallory', 'boom2', { bomb: catBomb }),
      track(attacker, 'mallory', 'boom', { bomb: mergeBomb }),
      track(attacker, 'mallory', 'boom2', { bomb: catBomb }),
    ];
    const after = [track(victim, 'vera', 'ping'), track(attacker, 'mallory', 'ping')];
    await kafka.produce(topic, [...before, ...after]);
    const path = (p: string) => receiver.received.filter((r) => r.path === p);
    await until(() => path('/victim').length === 1 && path('/attacker-fine').length === 1, 60_000, 'later events ran');
    expect(path('/never')).toEqual([]);
    expect(engine?.process.exitCode).toBeNull();

    // The condition's runs failed with the reason on the node, for the tenant to see.
    const failed = await withTenant(db, attacker, (tx) =>
      tx
        .select()
        .from(runs)
        .where(and(eq(runs.tenantId, attacker), eq(runs.workflowId, conditionFlow))),
    );
    expect(failed).toHaveLength(2);
    for (const run of failed) {
      expect(run.status).toBe('failed');
      const check = (run.path as { nodeId: string; detail?: { error?: string } }[]).find((p) => p.nodeId === 'check');
      expect(check?.detail?.error).toMatch(/^The rule stopped: on this event/);
    }

    const metrics = await (await fetch(metricsUrl)).text();
    expect(metrics).toMatch(/tripwire_rule_errors_total\{node="trigger.event"\} 2/);
    const stopped = [...metrics.matchAll(/tripwire_rule_budget_exceeded_total\{limit="\w+"\} (\d+)/g)];
    expect(stopped.reduce((sum, m) => sum + Number(m[1]), 0)).toBe(4);
    // Nothing was dead-lettered: the events were evaluated, and did not match.
    expect(metrics).not.toMatch(/tripwire_events_dead_lettered_total\{/);

    // The version planted with a bomb over its own list does not load: it never ran, and says why.
    const problems = await withTenant(db, attacker, (tx) =>
      tx.select().from(workflowVersionProblems).where(eq(workflowVersionProblems.workflowId, plantedFlow)),
    );
    expect(problems[0]?.problems).toEqual([expect.objectContaining({ nodeId: 'start', code: 'node.config_invalid' })]);
  });
});
