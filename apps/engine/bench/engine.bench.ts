// npm run bench:engine — the engine against the real local Kafka and Postgres (dev database), as its
// own process. On a private topic, consumer groups, pg-boss schema and 100 bench tenants:
//   1. throughput: 500k events (about 1% start a run) through a no-op consumer (the ceiling) and the engine
//   2. the engine's resident memory (max over every phase)
//   3. latency at a steady 500 matched events/s, produce -> webhook receipt
//   4a. waits falling due together: 100k runs parked at a wait.delay, due within about 20 s; resumes/s
//       and lateness, measured at webhook receipt
//   4b. 100k waits spread over two minutes while 500 matched events/s flow (latency measured at the
//       same time, one combined run)
// BENCH_WAITS_ONLY=1 runs phases 4a and 4b alone (on an engine that consumed nothing before).
// Everything it creates is removed at the end (also on Ctrl-C).

import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { createDb } from '@tripwire/db';
import { config } from './bench-env.ts';
import { measureDelays } from './delays.ts';
import { type EngineChild, startEngineChild } from './engine-child.ts';
import { eventStream } from './events.ts';
import { createJobsSchema, dropJobsSchema } from './jobs-schema.ts';
import { benchKafka } from './kafka-tools.ts';
import { measureLatency } from './latency.ts';
import { startBenchReceiver } from './receiver.ts';
import { type DelayResult, type LatencyResult, report, type ThroughputResult } from './report.ts';
import { createBenchTenants, deleteBenchTenants } from './seed.ts';
import { fmt, sleep } from './stats.ts';
import { measureCeiling, measureEngine } from './throughput.ts';

const tag = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
const topic = `bench.engine.${tag}`;
const dlqTopic = `bench.engine.${tag}.dlq`;
/** The ceiling and the parse-only consumer are ~1 s each: measured in interleaved rounds, median kept. */
const ROUNDS = 3;
const ceilingGroups = Array.from({ length: ROUNDS }, (_, i) => `bench-ceiling-${tag}-${i}`);
const parseGroups = Array.from({ length: ROUNDS }, (_, i) => `bench-parse-${tag}-${i}`);
const engineGroup = `bench-engine-${tag}`;
/** Phase 1d: two engine processes in one group on a second topic of the same size. */
const topic2 = `bench.engine.${tag}.two`;
const engineGroup2 = `bench-engine2-${tag}`;
const schema = `pgboss_bench_${tag}`;
const logFile = `/tmp/tripwire-bench-engine-${tag}.log`;
const log = (message: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);

const kafka = benchKafka(config.brokers);
const { db, close: closeDb } = createDb({ connectionString: config.databaseUrl, max: 4, applicationName: 'bench' });
const admin = createDb({ connectionString: config.adminUrl, max: 1, applicationName: 'bench-admin' });
const receiver = await startBenchReceiver();
let engine: EngineChild | undefined;
let tenantIds: string[] = [];

let cleaned: Promise<void> | undefined;
function cleanup() {
  cleaned ??= (async () => {
    log('cleaning up');
    await engine?.stop().catch(() => {});
    await kafka.deleteTopics([topic, dlqTopic, topic2]);
    await kafka.deleteGroups([...ceilingGroups, ...parseGroups, engineGroup, engineGroup2]);
    await dropJobsSchema(admin.db, schema);
    await deleteBenchTenants(db, tenantIds).catch((e: unknown) => log(`tenant cleanup failed: ${e}`));
    await receiver.close();
    await kafka.close();
    await closeDb();
    await admin.close();
  })();
  return cleaned;
}
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => void cleanup().finally(() => process.exit(130)));

/** Waits until deliveries and job completions stop moving (the engine's action queues drained). */
async function quiet(e: EngineChild, maxMs = 60_000) {
  let last = -1;
  const deadline = Date.now() + maxMs;
  for (let i = 0; i < maxMs / 1500 + 2 && Date.now() < deadline; i++) {
    const now = receiver.total() + (await e.metric('tripwire_jobs_completed_total'));
    if (now === last) return;
    last = now;
    await sleep(1500);
  }
}

try {
  const loadStart = loadavg();
  log(`tenants, profiles and ${config.tenants * 11} workflows`);
  const spreadOf = (base: number, spread: number, i: number) => base + Math.floor((i * spread) / config.tenants);
  const tenants = await createBenchTenants(db, {
    tag,
    count: config.tenants,
    users: config.usersPerTenant,
    receiver: receiver.url,
    delaySeconds: (i) => ({
      spread: spreadOf(config.delayBaseSeconds, config.delaySpreadSeconds, i),
      burst: spreadOf(config.burstBaseSeconds, config.burstSpreadSeconds, i),
    }),
  });
  tenantIds = tenants.map((t) => t.tenantId);
  await createJobsSchema(admin.db, config.databaseUrl, schema);
  await kafka.createTopic(topic, config.partitions);
  await kafka.createTopic(dlqTopic, 1);
  const engineEnv = {
    DATABASE_URL: config.databaseUrl,
    KAFKA_BROKERS: config.brokers.join(','),
    EVENTS_TOPIC: topic,
    DLQ_TOPIC: dlqTopic,
    KAFKA_GROUP_ID: engineGroup,
    KAFKA_CLIENT_ID: 'tripwire-bench-engine',
    KAFKA_FROM_BEGINNING: 'true',
    JOBS_SCHEMA: schema,
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    // Each tenant's webhooks go to its own endpoint, but all of them reach the one bench receiver:
    // its rate limit (50/s by default) is a policy for real endpoints, not what the waits measure.
    ACTION_ENDPOINT_RATE: '1000',
    ENGINE_PORT: '0',
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    HISTORY_ARCHIVER: config.archiver ? 'true' : 'false',
  };

  let throughput: ThroughputResult | undefined;
  let e: EngineChild;
  if (!config.waitsOnly) {
    const { messages, stats } = eventStream(tenantIds, config.usersPerTenant, config.events);
    log(`producing ${fmt(messages.length)} events to ${topic} (${config.partitions} partitions)`);
    await kafka.produce(topic, messages);
    messages.length = 0;
    const ends = await kafka.end(topic);

    log(`1a/b. ceiling (no-op kafkajs consumer) and parse-only consumer, ${ROUNDS} interleaved rounds`);
    const ceilings: Awaited<ReturnType<typeof measureCeiling>>[] = [];
    const parses: Awaited<ReturnType<typeof measureCeiling>>[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      ceilings.push(await measureCeiling(kafka, topic, ceilingGroups[i] as string, ends));
      parses.push(await measureCeiling(kafka, topic, parseGroups[i] as string, ends, { parse: true }));
    }
    const median = <T extends { seconds: number }>(xs: T[]) =>
      [...xs].sort((a, b) => a.seconds - b.seconds)[Math.floor(xs.length / 2)] as T;
    const ceiling = { ...median(ceilings), rounds: ceilings.map((c) => c.seconds) };
    const parseOnly = { ...median(parses), rounds: parses.map((c) => c.seconds) };
    log('1c. engine child process');
    const run = await measureEngine(kafka, topic, engineGroup, ends, {
      env: engineEnv,
      logFile,
      nodeArgs: config.engineNodeArgs,
      entry: config.engineEntry,
      cpuProfileDir: config.cpuProfile ? `/tmp/bench-engine-prof-${tag}` : undefined,
    });
    engine = run.engine;
    e = run.engine;
    throughput = {
      stats,
      ceiling,
      parseOnly,
      run,
      rss: e.maxRss(),
      started: await e.metric('tripwire_runs_started_total'),
      consumed: await e.metric('tripwire_events_consumed_total'),
      deadLettered: await e.metric('tripwire_events_dead_lettered_total'),
      matched: await e.metric('tripwire_events_matched_total'),
      webhooks: 0,
      cpuSeconds: await e.metric('tripwire_engine_process_cpu_seconds_total'),
    };
    log('draining the action queues');
    await quiet(e);
    throughput.webhooks = receiver.total();

    if (config.twoEngines) {
      // The same workload again (other message ids) on a topic of its own, read by two engine processes
      // in one consumer group: the partitions are split between them.
      await kafka.createTopic(topic2, config.partitions);
      const second = eventStream(tenantIds, config.usersPerTenant, config.events, 43);
      log(`1d. two engine processes: producing ${fmt(second.messages.length)} events to ${topic2}`);
      await kafka.produce(topic2, second.messages);
      second.messages.length = 0;
      const ends2 = await kafka.end(topic2);
      const two = await measureEngine(
        kafka,
        topic2,
        engineGroup2,
        ends2,
        {
          env: {
            ...engineEnv,
            EVENTS_TOPIC: topic2,
            KAFKA_GROUP_ID: engineGroup2,
            KAFKA_CLIENT_ID: 'tripwire-bench-engine2',
          },
          logFile: logFile.replace(/\.log$/, '-two.log'),
          entry: config.engineEntry,
        },
        2,
      );
      throughput.twoEngines = { seconds: two.seconds, events: second.stats.total };
      await Promise.all(two.engines.map((x) => x.stop()));
      log('draining the action queues');
      await quiet(e);
    }
  } else {
    log('engine child process (waits only)');
    e = await startEngineChild({ env: engineEnv, logFile, nodeArgs: config.engineNodeArgs, entry: config.engineEntry });
    engine = e;
  }

  let latency: LatencyResult | undefined;
  let burst: DelayResult | undefined;
  let spread: DelayResult | undefined;
  let spreadLatency: LatencyResult | undefined;
  const ping = async (seconds: number) => ({
    ...(await measureLatency({ db, kafka, topic, tenants, receiver, rate: config.pingRate, seconds })),
    rss: e.maxRss(),
  });
  if (!config.throughputOnly && !config.waitsOnly) {
    log(`3. latency at ${config.pingRate} matched events/s for ${config.pingSeconds} s`);
    e.resetMaxRss();
    latency = await ping(config.pingSeconds);
    await quiet(e, 20_000);
  }
  if (!config.throughputOnly) {
    log(`4a. waits falling due together: seeding ${fmt(config.burstRuns)} delayed runs`);
    e.resetMaxRss();
    const b = await measureDelays({
      kafka,
      db,
      topic,
      groupId: engineGroup,
      tenants,
      receiver,
      count: config.burstRuns,
      kind: 'burst',
    });
    burst = { ...b, rss: e.maxRss() };
    await quiet(e, 30_000);

    log(`4b. waits spread over two minutes: seeding ${fmt(config.delayedRuns)} delayed runs`);
    e.resetMaxRss();
    const d = await measureDelays({
      kafka,
      db,
      topic,
      groupId: engineGroup,
      tenants,
      receiver,
      count: config.delayedRuns,
      kind: 'spread',
      during: (seconds) => {
        log(`4b. the first waits are due: latency at ${config.pingRate} matched events/s for ${seconds} s meanwhile`);
        return ping(seconds);
      },
    });
    const { during, ...rest } = d;
    spread = { ...rest, rss: e.maxRss() };
    spreadLatency = during;
  }
  const problems = [...e.problems];
  const loadEnd = loadavg();
  await cleanup();
  console.log(
    report({
      throughput,
      latency,
      burst,
      spread,
      spreadLatency,
      problems,
      logFile,
      load: { start: loadStart, end: loadEnd },
    }),
  );
  process.exit(0);
} catch (error) {
  log(`failed: ${error instanceof Error ? error.stack : String(error)}`);
  if (engine) log(`engine log tail:\n${engine.tail.slice(-20).join('\n')}`);
  await cleanup();
  process.exit(1);
}
