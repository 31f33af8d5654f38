// `npm run bench:priority`: with 10,000 low-priority actions queued, how soon is a high-priority one
// delivered? (Decision 034.) The engine runs in this process on a private topic and pg-boss schema;
// the backlog is 10,000 action.webhook jobs at priority low, as the engine enqueues them, to a
// receiver that answers /low in 500 ms (a slow bulk receiver: how backlogs build up); then, while it drains, events trigger
// a workflow whose webhook node has priority high, and each is timed from the produce to its
// arrival: Kafka, evaluation, the job and the HTTP delivery.
import './bench-env.ts';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDb, tenants, withTenant } from '@tripwire/db';
import { type ActionJob, actionQueue } from '@tripwire/rules';
import { eq, sql } from 'drizzle-orm';
import { PgBoss } from 'pg-boss';
import { PRIORITY } from '../src/jobs/priority.ts';
import { createTestTenant, publish, startTestEngine, track } from '../test/fixtures.ts';
import { config } from './bench-env.ts';
import { createJobsSchema, dropJobsSchema } from './jobs-schema.ts';
import { fmt, percentiles, sleep, verdict, waitFor } from './stats.ts';

const BACKLOG = Number(process.env.BENCH_PRIORITY_BACKLOG ?? 10_000);
const HIGH = Number(process.env.BENCH_PRIORITY_HIGH ?? 10);
// A slow bulk receiver is what lets a backlog build up; 20 ms makes the engine's CPU the bottleneck instead.
const LOW_ANSWER_MS = Number(process.env.BENCH_PRIORITY_LOW_MS ?? 500);

async function main() {
  const { db, close } = createDb({ connectionString: config.databaseUrl as string, max: 4 });
  const admin = createDb({ connectionString: config.adminUrl as string, max: 1 });
  const schema = `pgboss_prio_${randomBytes(4).toString('hex')}`;
  await createJobsSchema(admin.db, config.databaseUrl as string, schema);

  const arrived = new Map<string, number>();
  let lows = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const answer = () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
      };
      if (req.url === '/low') {
        lows++;
        setTimeout(answer, LOW_ANSWER_MS);
      } else {
        arrived.set(String(JSON.parse(Buffer.concat(chunks).toString('utf8')).n), Date.now());
        answer();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const receiver = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const tenant = await createTestTenant(db, 'bench-priority');
  const { workflowId } = await publish(db, tenant.tenantId, {
    name: 'Urgent',
    nodes: [
      { id: 'start', type: 'trigger.event', config: { event: 'urgent' } },
      {
        id: 'page',
        type: 'action.webhook',
        config: { url: `${receiver}/high`, body: { n: '{{ event.properties.n }}' }, priority: 'high' },
      },
    ],
    edges: [{ source: 'start', target: 'page' }],
  });
  const engine = await startTestEngine(`bench-priority-${randomUUID()}`, { JOBS_SCHEMA: schema, LOG_LEVEL: 'silent' });
  await waitFor(() => engine.engine.cache.route(tenant.tenantId, 'urgent') !== undefined, 10_000);

  // The backlog, as the engine would have enqueued it (the same payload shape, priority low).
  const boss = new PgBoss({
    connectionString: config.databaseUrl as string,
    schema,
    supervise: false,
    schedule: false,
  });
  boss.on('error', () => {});
  await boss.start();
  const queue = actionQueue('action.webhook', 1);
  const job = (i: number): ActionJob => ({
    tenantId: tenant.tenantId,
    runId: randomUUID(),
    workflowId,
    version: 1,
    nodeId: 'bulk',
    type: 'action.webhook',
    nodeVersion: 1,
    actionId: `msg_bulk_${i}`,
    config: { url: `${receiver}/low`, method: 'POST', headers: {}, body: { i } },
  });
  const started = Date.now();
  for (let at = 0; at < BACKLOG; at += 1000)
    await boss.insert(
      queue,
      Array.from({ length: Math.min(1000, BACKLOG - at) }, (_, k) => ({ data: job(at + k), priority: PRIORITY.low })),
    );
  const queued = async () => {
    const { rows } = await db.execute<{ n: number }>(
      sql`select count(*)::int as n from ${sql.identifier(schema)}.job where name = ${queue} and state in ('created', 'retry')`,
    );
    return rows[0]?.n ?? 0;
  };
  console.log(`backlog: ${fmt(BACKLOG)} low-priority webhooks queued in ${fmt(Date.now() - started, 0)} ms`);

  const samples: number[] = [];
  const backlogAt: number[] = [];
  for (let n = 0; n < HIGH; n++) {
    await sleep(500);
    const waiting = await queued();
    const sentAt = Date.now();
    await engine.produce([track(tenant.tenantId, `pager-${n}`, 'urgent', { n })]);
    const ok = await waitFor(() => arrived.has(String(n)), 30_000, 5);
    if (!ok) throw new Error(`high-priority action ${n} did not arrive within 30 s`);
    samples.push((arrived.get(String(n)) as number) - sentAt);
    backlogAt.push(waiting);
  }
  // The job layer alone: a high-priority job put straight on the queue behind the backlog.
  const direct: number[] = [];
  for (let n = 0; n < HIGH; n++) {
    await sleep(300);
    const key = `direct-${n}`;
    const sentAt = Date.now();
    await boss.insert(queue, [
      {
        data: {
          ...job(-1 - n),
          nodeId: 'page',
          actionId: `msg_${key}`,
          config: { url: `${receiver}/high`, method: 'POST', headers: {}, body: { n: key } },
        },
        priority: PRIORITY.high,
      },
    ]);
    if (!(await waitFor(() => arrived.has(key), 30_000, 5))) throw new Error(`${key} did not arrive within 30 s`);
    direct.push((arrived.get(key) as number) - sentAt);
  }
  const d = percentiles(direct);
  const p = percentiles(samples);
  const left = await queued();
  console.log(
    `low-priority actions still queued when each high one was sent: ${backlogAt.map((b) => fmt(b)).join(', ')}`,
  );
  console.log(`low-priority actions delivered meanwhile: ${fmt(lows)}; still queued at the end: ${fmt(left)}`);
  console.log(
    `high-priority action, event produced -> webhook delivered (n=${p.n}): p50 ${fmt(p.p50, 0)} ms, p95 ${fmt(p.p95, 0)} ms, max ${fmt(p.max, 0)} ms`,
  );
  console.log(
    `high-priority job put on the queue -> delivered (n=${d.n}): p50 ${fmt(d.p50, 0)} ms, p95 ${fmt(d.p95, 0)} ms, max ${fmt(d.max, 0)} ms`,
  );
  console.log(
    `target: every one within 1 s behind the backlog: ${verdict(p.max <= 1000 && Math.min(...backlogAt) > 0)}`,
  );

  await boss.stop({ graceful: false });
  await engine.stop();
  server.closeAllConnections();
  server.close();
  await dropJobsSchema(admin.db, schema);
  await withTenant(db, tenant.tenantId, (tx) => tx.delete(tenants).where(eq(tenants.id, tenant.tenantId)));
  await close();
  await admin.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
