// npm run bench:runs — the run explorer, the trace and the counts on the canvas over 10 million runs.
// Seeds one bench tenant with BENCH_RUNS runs (SQL generate_series: 5 workflows, 100,000 users, 7 days,
// a tenth failed) and a week of canvas counters, then times the same service functions the tRPC
// procedures call, as the app role under row-level security. Everything seeded is deleted at the end.
import { randomUUID } from 'node:crypto';
import { createDb, withTenant } from '@tripwire/db';
import { workflowDocumentSchema } from '@tripwire/rules';
import { sql } from 'drizzle-orm';
import { WebEnv } from '../src/env.ts';
import { getRunTrace, listRuns, pathCountsOf } from '../src/services/runs.ts';
import { createTenant } from '../src/services/tenants.ts';
import { createWorkflow, publishWorkflow } from '../src/services/workflows.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 10_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const env = WebEnv.parse(process.env);
const adminUrl = process.env.DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/tripwire';
const app = createDb({ connectionString: env.DATABASE_URL, max: 2 });
// Seeding 10 million rows goes faster as the owner; every timed query below runs as the app role.
const admin = createDb({ connectionString: adminUrl, max: 1 });
const log = (m: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}`);

const doc = {
  name: 'bench flow',
  nodes: [
    { id: 'start', type: 'trigger.event', config: { event: 'ordered' } },
    { id: 'big', type: 'condition.if', config: { logic: { '>': [{ var: 'event.properties.total' }, 100] } } },
    { id: 'hook', type: 'action.webhook', config: { url: 'https://hooks.example.com/x' } },
  ],
  edges: [
    { source: 'start', target: 'big' },
    { source: 'big', sourceHandle: 'true', target: 'hook' },
  ],
};

const tenant = await createTenant(app.db, { name: `bench runs ${Date.now()}` });
const tenantId = tenant.tenantId;
try {
  const ids: string[] = [];
  await withTenant(app.db, tenantId, async (tx) => {
    for (let i = 0; i < 5; i++) {
      const document = workflowDocumentSchema.parse({ ...doc, name: `bench ${i}` });
      const id = await createWorkflow(tx, { tenantId, document, actor: {} });
      await publishWorkflow(tx, { tenantId, workflowId: id, actor: {} });
      ids.push(id);
    }
  });
  const t0 = performance.now();
  log(`seeding ${RUNS.toLocaleString()} runs`);
  const path = JSON.stringify([
    { nodeId: 'start', type: 'trigger.event', at: '2026-01-01T00:00:00Z', output: 'next', detail: { messageId: 'm' } },
    { nodeId: 'big', type: 'condition.if', at: '2026-01-01T00:00:00Z', output: 'true', detail: { result: true } },
  ]);
  await admin.db.execute(sql`
    insert into runs (tenant_id, id, workflow_id, version, user_id, trigger_event, status, pending, path, started_at, finished_at)
    select ${tenantId}::uuid, gen_random_uuid(), (${sql.raw(`array['${ids.join("','")}']`)}::uuid[])[1 + g % 5], 1,
      'user-' || (g % 100000), jsonb_build_object('name', 'ordered', 'messageId', 'm' || g),
      case when g % 10 = 0 then 'failed' else 'completed' end, 0, ${path}::jsonb,
      now() - (g::double precision / ${RUNS}) * interval '7 days', now() - (g::double precision / ${RUNS}) * interval '7 days'
    from generate_series(1, ${RUNS}) g`);
  log(`seeded in ${((performance.now() - t0) / 1000).toFixed(0)} s; counters for 7 days`);
  await admin.db.execute(sql`
    insert into path_counts (tenant_id, workflow_id, version, bucket, node_id, output, shard, count)
    select ${tenantId}::uuid, w, 1, date_bin('5 minutes', now() - b * interval '5 minutes', 'epoch'), n.node, n.output, s, 7
    from unnest(${sql.raw(`array['${ids.join("','")}']`)}::uuid[]) w, generate_series(0, 2016) b, generate_series(0, 5) s,
      (values ('start', ''), ('start', 'next'), ('big', ''), ('big', 'true'), ('big', 'false'), ('hook', ''), ('hook', 'next'))
        as n(node, output)`);
  // As the engine's hourly maintenance does: counters older than an hour become one row per hour.
  await admin.db.execute(sql`select tripwire_compact_path_counts(now() - interval '1 hour')`);
  const counters = await admin.db.execute<{ n: number }>(
    sql`select count(*)::int as n from path_counts where tenant_id = ${tenantId}::uuid`,
  );
  log(`counter rows after folding: ${counters.rows[0]?.n}`);
  await admin.db.execute(sql`analyze runs`);
  // Folding leaves dead rows behind, which autovacuum clears in a running system; measure that state.
  await admin.db.execute(sql`vacuum analyze path_counts`);

  const workflowId = ids[0] as string;
  const [one] = await withTenant(app.db, tenantId, (tx) =>
    tx.execute<{ id: string }>(sql`select id from runs where tenant_id = ${tenantId}::uuid limit 1`),
  ).then((r) => r.rows);
  const page = await withTenant(app.db, tenantId, (tx) => listRuns(tx, { tenantId, filter: {}, limit: 50 }));
  const cases: [string, () => Promise<unknown>][] = [
    ['explorer: newest 50, no filter', () => listRuns0({})],
    ['explorer: one workflow', () => listRuns0({ workflowId })],
    ['explorer: one workflow, failed', () => listRuns0({ workflowId, status: 'failed' })],
    ['explorer: one user', () => listRuns0({ userId: 'user-4242' })],
    ['explorer: a day three days ago', () => listRuns0({ from: daysAgo(4), to: daysAgo(3) })],
    [
      'explorer: the next page (cursor)',
      () =>
        withTenant(app.db, tenantId, (tx) =>
          listRuns(tx, { tenantId, filter: {}, limit: 50, cursor: page.next ?? undefined }),
        ),
    ],
    [
      'trace of one run',
      () => withTenant(app.db, tenantId, (tx) => getRunTrace(tx, { tenantId, runId: one?.id ?? randomUUID() })),
    ],
    ['canvas counts, last hour', () => counts('1h')],
    ['canvas counts, last 24 h', () => counts('24h')],
    ['canvas counts, last 7 days', () => counts('7d')],
  ];
  function listRuns0(filter: Parameters<typeof listRuns>[1]['filter']) {
    return withTenant(app.db, tenantId, (tx) => listRuns(tx, { tenantId, filter, limit: 50 }));
  }
  function counts(window: '1h' | '24h' | '7d') {
    return withTenant(app.db, tenantId, (tx) => pathCountsOf(tx, { tenantId, workflowId, version: 1, window }));
  }
  console.log(`\nRuns in the table for this tenant: ${RUNS.toLocaleString()} (5 workflows, 100,000 users, 7 days)`);
  console.log('query                                   p50 ms   p95 ms   max ms');
  for (const [name, run] of cases) {
    await run();
    const times: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const t = performance.now();
      await run();
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const at = (q: number) => (times[Math.min(times.length - 1, Math.floor(q * times.length))] as number).toFixed(1);
    console.log(`${name.padEnd(40)}${at(0.5).padStart(7)}  ${at(0.95).padStart(7)}  ${at(1).padStart(7)}`);
  }
} finally {
  log('deleting the bench tenant');
  await admin.db.execute(sql`delete from runs where tenant_id = ${tenantId}::uuid`);
  await admin.db.execute(sql`delete from tenants where id = ${tenantId}::uuid`);
  await app.close();
  await admin.close();
}

function daysAgo(n: number) {
  return new Date(Date.now() - n * 86_400_000);
}
