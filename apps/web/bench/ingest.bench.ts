// npm run bench:ingest — ingestion throughput and latency against the real local Kafka.
// Starts the built web server as its own process (as in production), then on loopback:
//   A. closed loop: concurrent /v1/batch requests of 100 events for a fixed time -> events/s
//   B. open loop: single /v1/track at a fixed 1,000 requests/s -> p50/p95/p99 latency, measured
//      from each request's scheduled start, so a stalled server cannot hide its queueing delay.
// Kafka's own offsets confirm every accepted event was stored.
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { createDb } from '@tripwire/db';
import { Kafka, logLevel } from 'kafkajs';
import { WebEnv } from '../src/env.ts';
import { createTenant } from '../src/services/tenants.ts';

const BATCH_SECONDS = Number(process.env.BENCH_BATCH_SECONDS ?? 15);
const BATCH_CONCURRENCY = Number(process.env.BENCH_BATCH_CONCURRENCY ?? 16);
const TRACK_RATE = Number(process.env.BENCH_TRACK_RATE ?? 1000);
const TRACK_SECONDS = Number(process.env.BENCH_TRACK_SECONDS ?? 15);

const env = WebEnv.parse(process.env);
const topic = `bench.ingest.${Date.now()}`;
const kafka = new Kafka({ clientId: 'bench', brokers: env.KAFKA_BROKERS, logLevel: logLevel.NOTHING });
const admin = kafka.admin();
await admin.connect();
await admin.createTopics({ topics: [{ topic, numPartitions: 6 }], waitForLeaders: true });

const { db, close } = createDb({ connectionString: env.DATABASE_URL, max: 1 });
const tenant = await createTenant(db, { name: 'bench', ingestRatePerSecond: 10_000_000, ingestBurst: 10_000_000 });
await close();

const server = spawn(process.execPath, ['server.ts'], {
  cwd: new URL('..', import.meta.url).pathname,
  env: {
    ...process.env,
    NODE_ENV: 'production',
    WEB_PORT: '0',
    WEB_METRICS_PORT: '0',
    EVENTS_TOPIC: topic,
    LOG_LEVEL: 'info',
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const port = await new Promise<number>((resolve, reject) => {
  let out = '';
  server.stdout.on('data', (chunk) => {
    out += chunk;
    const line = out.split('\n').find((l) => l.includes('"web listening"'));
    if (line) resolve(JSON.parse(line).port);
  });
  server.once('exit', (code) => reject(new Error(`server exited ${code}`)));
});

const agent = new Agent({ keepAlive: true, maxSockets: 256 });
const auth = `Basic ${Buffer.from(`${tenant.writeKey}:`).toString('base64')}`;

function post(path: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent,
        headers: { authorization: auth, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function storedCount(): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, p) => sum + Number(p.high), 0);
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

// Warm up the JIT, the key cache and the producer connection.
for (let i = 0; i < 200; i++) await post('/v1/track', JSON.stringify({ userId: `warm${i}`, event: 'Warm Up' }));
const baseline = await storedCount();

// A. batched throughput
let users = 0;
const batchBody = () =>
  JSON.stringify({
    batch: Array.from({ length: 100 }, (_, i) => ({
      type: 'track',
      userId: `user-${users++ % 50_000}`,
      event: i % 10 === 0 ? 'Order Completed' : 'Product Viewed',
      properties: { sku: `sku-${i}`, price: 19.99, currency: 'EUR', cart: { items: 3 } },
    })),
  });
let batchOk = 0;
let batchFailed = 0;
const batchEnd = performance.now() + BATCH_SECONDS * 1000;
const batchStart = performance.now();
await Promise.all(
  Array.from({ length: BATCH_CONCURRENCY }, async () => {
    while (performance.now() < batchEnd) {
      const status = await post('/v1/batch', batchBody());
      if (status === 200) batchOk++;
      else batchFailed++;
    }
  }),
);
const batchElapsed = (performance.now() - batchStart) / 1000;
const batchEvents = batchOk * 100;
const afterBatch = await storedCount();

// B. single /v1/track at a fixed rate (open loop)
const total = TRACK_RATE * TRACK_SECONDS;
const latencies: number[] = [];
let trackFailed = 0;
const trackStart = performance.now();
await new Promise<void>((resolve) => {
  let sent = 0;
  let done = 0;
  const tick = () => {
    const due = Math.min(total, Math.floor(((performance.now() - trackStart) / 1000) * TRACK_RATE));
    while (sent < due) {
      const scheduled = trackStart + (sent / TRACK_RATE) * 1000;
      const body = JSON.stringify({
        userId: `solo-${sent % 10_000}`,
        event: 'Page Viewed',
        properties: { path: '/pricing' },
      });
      sent++;
      post('/v1/track', body)
        .then((status) => {
          if (status === 200) latencies.push(performance.now() - scheduled);
          else trackFailed++;
        })
        .catch(() => trackFailed++)
        .finally(() => {
          if (++done === total) resolve();
        });
    }
    if (sent < total) setTimeout(tick, 1);
  };
  tick();
});
const trackElapsed = (performance.now() - trackStart) / 1000;
const afterTrack = await storedCount();
latencies.sort((a, b) => a - b);

server.kill('SIGTERM');
await admin.deleteTopics({ topics: [topic] }).catch(() => {});
await admin.disconnect();

const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 1 });
console.log(`
Ingestion benchmark (web server process + load generator on one ${process.env.NPROC ?? '2'}-core machine, real Kafka, acks=all)

A. POST /v1/batch, 100 events per request, ${BATCH_CONCURRENCY} concurrent, ${fmt(batchElapsed)} s
   accepted:        ${fmt(batchEvents)} events (${batchFailed} failed requests)
   stored in Kafka: ${fmt(afterBatch - baseline)} events
   throughput:      ${fmt(batchEvents / batchElapsed)} events/s   (target >= 20,000)

B. POST /v1/track at a fixed ${fmt(TRACK_RATE)} requests/s for ${TRACK_SECONDS} s (open loop)
   achieved rate:   ${fmt(latencies.length / trackElapsed)} requests/s (${trackFailed} failed)
   stored in Kafka: ${fmt(afterTrack - afterBatch)} events
   latency p50:     ${fmt(percentile(latencies, 50))} ms
   latency p95:     ${fmt(percentile(latencies, 95))} ms   (target < 100 ms)
   latency p99:     ${fmt(percentile(latencies, 99))} ms
`);
process.exit(batchFailed + trackFailed > 0 || afterTrack - baseline !== batchEvents + latencies.length ? 1 : 0);
