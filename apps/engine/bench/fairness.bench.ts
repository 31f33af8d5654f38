// npm run bench:fairness — the noisy neighbour, measured on the shipped engine as its own process
// against the real local Kafka and Postgres: tenant A's endpoint takes 10 s per request and A has
// 3,000 actions queued; tenant B sends one event every 500 ms. Prints B's produce -> webhook latency
// (p50, p95, max), the most requests A's endpoint had open at once against the limit K, and A's
// delivery rate. Everything it creates is removed at the end.
//   BENCH_FAIR_K (default 10), BENCH_FAIR_A_ACTIONS (3000), BENCH_FAIR_PINGS (20), BENCH_FAIR_DELAY_MS (10000)
import './bench-env.ts';
import { randomBytes, randomUUID } from 'node:crypto';
import { createDb } from '@tripwire/db';
import { testKafka, track } from '@tripwire/testing';
import { sql } from 'drizzle-orm';
import { startSlowEndpoint } from '../test/slow-endpoint.ts';
import { createTestTenant, publish } from '../test/tenants.ts';
import { config } from './bench-env.ts';
import { startEngineChild } from './engine-child.ts';
import { createJobsSchema, dropJobsSchema } from './jobs-schema.ts';
import { benchKafka } from './kafka-tools.ts';
import { startBenchReceiver } from './receiver.ts';
import { deleteBenchTenants } from './seed.ts';
import { fmt, sleep } from './stats.ts';

const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const K = num('BENCH_FAIR_K', 10);
const A_ACTIONS = num('BENCH_FAIR_A_ACTIONS', 3000);
const PINGS = num('BENCH_FAIR_PINGS', 20);
const DELAY_MS = num('BENCH_FAIR_DELAY_MS', 10_000);

const tag = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const schema = `pgboss_fair_${tag}`;
const log = (message: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
const kafka = testKafka(config.brokers.join(','));
const { db, close } = createDb({ connectionString: config.databaseUrl, max: 4, applicationName: 'bench' });
const admin = createDb({ connectionString: config.adminUrl, max: 1, applicationName: 'bench-admin' });
const slow = await startSlowEndpoint(DELAY_MS);
const receiver = await startBenchReceiver();
const tenantIds: string[] = [];
const topics: string[] = [];
let stopEngine = async () => {};

try {
  const topic = await kafka.createTopic(`bench.fair.${tag}`, 6);
  const dlq = await kafka.createTopic(`bench.fair.${tag}.dlq`, 1);
  topics.push(topic, dlq);
  await createJobsSchema(admin.db, config.databaseUrl, schema);
  const a = await createTestTenant(db, `bench-fair-a-${tag}`);
  const b = await createTestTenant(db, `bench-fair-b-${tag}`);
  tenantIds.push(a.tenantId, b.tenantId);
  const flow = (event: string, url: string, body: Record<string, unknown>) => ({
    name: `on ${event}`,
    nodes: [
      { id: 'start', type: 'trigger.event' as const, config: { event } },
      { id: 'hook', type: 'action.webhook' as const, config: { url, body } },
    ],
    edges: [{ source: 'start', target: 'hook' }],
  });
  await publish(db, a.tenantId, flow('burst', `${slow.url}/a`, { n: '{{ event.properties.n }}' }));
  await publish(db, b.tenantId, flow('ping', `${receiver.url}/ping`, { sentAt: '{{ event.properties.sentAt }}' }));

  const engine = await startEngineChild({
    env: {
      DATABASE_URL: config.databaseUrl,
      KAFKA_BROKERS: config.brokers.join(','),
      EVENTS_TOPIC: topic,
      DLQ_TOPIC: dlq,
      KAFKA_GROUP_ID: `bench-fair-${tag}`,
      KAFKA_FROM_BEGINNING: 'true',
      ENGINE_PORT: '0',
      JOBS_SCHEMA: schema,
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      ACTION_ENDPOINT_CONCURRENCY: String(K),
      LOG_LEVEL: 'info',
    },
    logFile: `/tmp/tripwire-bench-fairness-${tag}.log`,
  });
  stopEngine = () => engine.stop();

  log(`A: ${A_ACTIONS} actions to an endpoint answering in ${DELAY_MS / 1000} s (limit K=${K})`);
  await kafka.produce(
    topic,
    Array.from({ length: A_ACTIONS }, (_, i) => track(a.tenantId, `a${i % 100}`, 'burst', { n: i })),
  );
  const queued = Date.now();
  // B's events go after A's are all consumed and queued as jobs: what is measured is the dispatch,
  // not B's event waiting behind A's on a shared partition.
  const jobsOfA = async () => {
    const { rows } = await db.execute<{ n: number }>(
      sql.raw(`select count(*)::int as n from ${schema}.job where group_id like '${a.tenantId}|%'`),
    );
    return rows[0]?.n ?? 0;
  };
  while ((await jobsOfA()) < A_ACTIONS && Date.now() - queued < 60_000) await sleep(200);
  log(
    `A's ${A_ACTIONS} jobs queued in ${((Date.now() - queued) / 1000).toFixed(1)} s; ${slow.open} requests open at A`,
  );

  log(`B: ${PINGS} events, one every 500 ms`);
  for (let i = 0; i < PINGS; i++) {
    await kafka.produce(topic, [track(b.tenantId, `b${i}`, 'ping', { sentAt: Date.now(), n: i, id: randomUUID() })]);
    await sleep(500);
  }
  const deadline = Date.now() + 30_000;
  while (receiver.at('/ping').length < PINGS && Date.now() < deadline) await sleep(100);
  const latencies = receiver
    .at('/ping')
    .map((d) => d.at - (d.sentAt ?? d.at))
    .sort((x, y) => x - y);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
  const elapsed = (Date.now() - queued) / 1000;

  console.log('\nFair dispatch (noisy neighbour)');
  console.log(`  B delivered                  ${latencies.length} of ${PINGS}`);
  console.log(
    `  B produce -> webhook         p50 ${fmt(pct(50))} ms   p95 ${fmt(pct(95))} ms   max ${fmt(pct(100))} ms`,
  );
  console.log(`  A's endpoint, most open      ${slow.maxOpen} (limit K = ${K})`);
  console.log(
    `  A delivered                  ${slow.answered} in ${elapsed.toFixed(0)} s (${(slow.answered / elapsed).toFixed(2)}/s; K / ${DELAY_MS / 1000} s = ${(K / (DELAY_MS / 1000)).toFixed(2)}/s)`,
  );
} finally {
  await stopEngine().catch(() => {});
  await dropJobsSchema(admin.db, schema);
  const tools = benchKafka(config.brokers);
  await tools.deleteTopics(topics).catch(() => {});
  await tools.deleteGroups([`bench-fair-${tag}`]).catch(() => {});
  await tools.close();
  await deleteBenchTenants(db, tenantIds).catch(() => {});
  await slow.close();
  await receiver.close();
  await close();
  await admin.close();
}
