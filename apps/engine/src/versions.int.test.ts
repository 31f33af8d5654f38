import { randomUUID } from 'node:crypto';
import { withTenant, workflows, workflowVersionProblems, workflowVersions } from '@tripwire/db';
import { builtinNodeTypes, compileWorkflow, createRegistry, defineNodeType, simulateWorkflow } from '@tripwire/rules';
import { eq } from 'drizzle-orm';
import { PgBoss } from 'pg-boss';
import { describe, expect, it } from 'vitest';
import { engineSuite } from '../test/engine-suite.ts';
import { createTestTenant, publish, startReceiver, startTestEngine, testDb, track, until } from '../test/fixtures.ts';
import { noteExecutors, notes, registryWithBoth, registryWithV1 } from '../test/node-types.ts';

const s = engineSuite('versions', { engine: { registry: registryWithBoth, executors: noteExecutors } });

const pickFlow = (event: string, version: number) => ({
  name: `pick v${version}`,
  nodes: [
    { id: 'start', type: 'trigger.event', config: { event } },
    { id: 'pick', type: 'test.pick', version, config: {} },
    s.webhook('ha', `/${event}/a`),
    s.webhook('hb', `/${event}/b`),
    { id: 'note', type: 'test.note', version, config: { text: '{{ event.properties.n }}' } },
  ],
  edges: [
    { source: 'start', target: 'pick' },
    { source: 'pick', sourceHandle: 'a', target: 'ha' },
    { source: 'pick', sourceHandle: 'b', target: 'hb' },
    { source: 'start', target: 'note' },
  ],
});

describe('node types by type@version (real Kafka and Postgres)', () => {
  it('runs a node saved as version 1 with version 1 after version 2 exists, and version 2 with its own code', async () => {
    // Saved when only version 1 existed; the engine now knows both.
    await publish(s.db, s.tenant.tenantId, pickFlow('old', 1), randomUUID(), registryWithV1);
    await publish(s.db, s.tenant.tenantId, pickFlow('new', 2), randomUUID(), registryWithBoth);
    await until(() => s.t.engine.cache.route(s.tenant.tenantId, 'new'), 5000, 'workflows loaded');
    await s.t.produce([
      track(s.tenant.tenantId, 'u1', 'old', { n: 'old-1' }),
      track(s.tenant.tenantId, 'u1', 'new', { n: 'new-1' }),
    ]);
    await until(() => s.at('/old/a').length === 1 && s.at('/new/b').length === 1, 15_000, 'both webhooks');
    await until(() => notes.length === 2, 15_000, 'both notes');
    expect(s.at('/old/b')).toEqual([]);
    expect(s.at('/new/a')).toEqual([]);
    expect(notes.map((n) => [n.version, n.text]).sort()).toEqual([
      [1, 'old-1'],
      [2, 'new-1'],
    ]);

    // The editor's test run agrees, with the same registry.
    const event = { name: 'old', userId: 'u1', properties: { n: 1 } };
    const v1 = await simulateWorkflow(pickFlow('old', 1), { event }, { registry: registryWithBoth });
    expect('steps' in v1 && v1.steps.find((st) => st.nodeId === 'pick')?.output).toBe('a');
    const v2 = await simulateWorkflow(pickFlow('old', 2), { event }, { registry: registryWithBoth });
    expect('steps' in v2 && v2.steps.find((st) => st.nodeId === 'pick')?.output).toBe('b');
  });

  it('does not run a stored version whose node type or settings this release does not know, says why, and runs the rest', async () => {
    const gone = defineNodeType({
      type: 'test.gone',
      version: 1,
      kind: 'action',
      label: 'Gone',
      description: 'A type a later release removed.',
      icon: 'x',
      outputs: ['next'],
      config: {},
    });
    const unknownType = await publish(
      s.db,
      s.tenant.tenantId,
      {
        name: 'uses a removed type',
        nodes: [
          { id: 'start', type: 'trigger.event', config: { event: 'broken' } },
          { id: 'g', type: 'test.gone', config: {} },
          s.webhook('h', '/broken'),
        ],
        edges: [
          { source: 'start', target: 'g' },
          { source: 'start', target: 'h' },
        ],
      },
      randomUUID(),
      createRegistry([...builtinNodeTypes, gone]),
    );
    // Settings that validated when published and no longer do (stored as the web app stores them).
    const badConfig = randomUUID();
    const doc = {
      name: 'bad settings',
      nodes: [{ id: 'start', type: 'trigger.event', config: { event: 'broken' } }, s.webhook('h', '/broken')],
      edges: [{ source: 'start', target: 'h' }],
    };
    const plan = compileWorkflow(doc);
    (plan.nodes.h as { config: Record<string, unknown> }).config.url = 'ftp://files.example.com/x';
    await withTenant(s.db, s.tenant.tenantId, async (tx) => {
      await tx.insert(workflows).values({ tenantId: s.tenant.tenantId, id: badConfig, name: doc.name, draft: doc });
      await tx.insert(workflowVersions).values({
        tenantId: s.tenant.tenantId,
        workflowId: badConfig,
        version: 1,
        document: doc,
        plan,
        compilerVersion: '1',
      });
      await tx.update(workflows).set({ activeVersion: 1 }).where(eq(workflows.id, badConfig));
    });
    const healthy = await publish(s.db, s.tenant.tenantId, {
      name: 'healthy',
      nodes: [{ id: 'start', type: 'trigger.event', config: { event: 'broken' } }, s.webhook('h', '/healthy')],
      edges: [{ source: 'start', target: 'h' }],
    });

    const problems = await until(
      async () => {
        const rows = await withTenant(s.db, s.tenant.tenantId, (tx) => tx.select().from(workflowVersionProblems));
        return rows.length === 2 ? rows : undefined;
      },
      10_000,
      'problems recorded',
    );
    const byWorkflow = new Map(problems.map((p) => [p.workflowId, p.problems]));
    expect(byWorkflow.get(unknownType.workflowId)).toEqual([
      { nodeId: 'g', code: 'node.unknown_type', message: 'test.gone is not a node type this release knows' },
    ]);
    expect(byWorkflow.get(badConfig)).toEqual([
      expect.objectContaining({ nodeId: 'h', code: 'node.config_invalid', message: expect.stringContaining('(url)') }),
    ]);

    await until(() => s.t.engine.cache.route(s.tenant.tenantId, 'broken'), 5000, 'healthy workflow loaded');
    await s.t.produce([track(s.tenant.tenantId, 'u1', 'broken', { n: 1 })]);
    await until(() => s.at('/healthy').length === 1, 15_000, 'the healthy workflow ran');
    await new Promise((r) => setTimeout(r, 1000));
    expect(s.at('/broken')).toEqual([]);
    expect(await s.runs(unknownType.workflowId)).toEqual([]);
    expect(await s.runs(badConfig)).toEqual([]);
    expect(await s.runs(healthy.workflowId)).toHaveLength(1);
    expect((await fetch(`${s.t.url}/health`)).status).toBe(200);
  });
});

describe('queues from before action queues were versioned', () => {
  it('drains a job left on the unversioned action.webhook queue with the version 1 executor', async () => {
    const { db, close } = testDb();
    const tenant = await createTestTenant(db);
    const receiver = await startReceiver(() => tenant.secret);
    const schema = `pgboss_t_${randomUUID().replaceAll('-', '').slice(0, 10)}`;
    const boss = new PgBoss({ connectionString: process.env.DATABASE_URL as string, schema });
    await boss.start();
    await boss.createQueue('action.webhook');
    // A job as the engine wrote it before: no nodeVersion, `version` is the workflow's.
    await boss.send('action.webhook', {
      tenantId: tenant.tenantId,
      runId: randomUUID(),
      workflowId: randomUUID(),
      version: 3,
      nodeId: 'h',
      type: 'action.webhook',
      actionId: 'msg_legacy_1',
      config: { url: `${receiver.url}/legacy`, method: 'POST', body: { old: true } },
    });
    await boss.stop({ graceful: false });
    const t = await startTestEngine('legacy', { JOBS_SCHEMA: schema });
    try {
      await until(() => receiver.received.length === 1, 15_000, 'legacy job delivered');
      expect(receiver.received[0]).toMatchObject({ path: '/legacy', json: { old: true }, verified: true });
      expect(receiver.received[0]?.headers['webhook-id']).toBe('msg_legacy_1');
    } finally {
      await t.stop();
      await receiver.close();
      await close();
    }
  });
});
