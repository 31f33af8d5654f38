// Event history benchmarks (issue 14), printed as figures:
//  1. The archiver: events produced to a fresh topic (fresh tenants) first, then an archiver (its own
//     consumer group, in this process) reads and stores them all; events/s from its first batch to
//     the last commit (and from start, the group join included), and the CPU it took per event, in
//     this process and in its Postgres backends (load-independent on a shared machine). Target:
//     >= 50,000 events/s. Each round runs the store's write paths side by side, in rotating order
//     (HISTORY_BENCH_ROUNDS rounds): `json-on-conflict` (the path before decision 040: a JSON
//     parameter per tenant, ON CONFLICT DO NOTHING on every row), `json` (the same, inserted plainly
//     first) and `copy` (COPY into a staging table, then a plain INSERT … SELECT per tenant); and
//     once the ceiling: a kafkajs consumer that only parses the messages.
//  2. One user's last 7 days with 20 million events stored: the rows are made with generate_series
//     (kept between runs under one bench tenant, HISTORY_BENCH_ROWS to change the size), then the
//     store's byUser read is timed for random users. Target: < 200 ms.
import './bench-env.ts';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type AppendStrategy, createDb, postgresEventHistory, tenants, withTenant } from '@tripwire/db';
import { eventKey } from '@tripwire/rules';
import { eq, sql } from 'drizzle-orm';
import { createArchiver } from '../src/history/archiver.ts';
import { createLogger } from '../src/logger.ts';
import { config } from './bench-env.ts';
import { benchKafka } from './kafka-tools.ts';
import { fmt, percentiles, verdict } from './stats.ts';
import { measureCeiling } from './throughput.ts';

const EVENTS = Number(process.env.HISTORY_BENCH_EVENTS ?? 300_000);
const ROWS = Number(process.env.HISTORY_BENCH_ROWS ?? 20_000_000);
const USERS = Number(process.env.HISTORY_BENCH_USERS ?? 100_000);
const TENANTS = 20;
const ROUNDS = Number(process.env.HISTORY_BENCH_ROUNDS ?? 2);
/** The write path before decision 040 first, then the two after it (the order rotates per round). */
const STRATEGIES: AppendStrategy[] = ['json-on-conflict', 'json', 'copy'];
const DAY = 86_400_000;

const { db, close } = createDb({ connectionString: config.databaseUrl as string, max: 4 });
const admin = createDb({ connectionString: config.adminUrl as string, max: 2 });
const logger = createLogger('warn');

async function archiverThroughput(strategy: AppendStrategy | 'ceiling') {
  const kafka = benchKafka(config.brokers);
  const topic = await kafka.createTopic(`bench.history.${randomUUID()}`, config.partitions);
  const ids = Array.from({ length: TENANTS }, () => randomUUID());
  for (const id of ids) await withTenant(db, id, (tx) => tx.insert(tenants).values({ id, name: 'bench history' }));
  const now = Date.now();
  const messages = Array.from({ length: EVENTS }, (_, i) => {
    const tenantId = ids[i % TENANTS] as string;
    const userId = `u${i % 5000}`;
    const at = new Date(now - (EVENTS - i)).toISOString();
    return {
      key: eventKey(tenantId, userId),
      value: JSON.stringify({
        v: 1,
        type: 'track',
        tenantId,
        messageId: `b-${i}`,
        userId,
        event: i % 3 === 0 ? 'order_completed' : 'page_viewed',
        properties: { total: i % 500, path: `/p/${i % 40}`, plan: i % 2 ? 'pro' : 'free' },
        timestamp: at,
        receivedAt: at,
      }),
    };
  });
  await kafka.produce(topic, messages);
  const groupId = `bench-history-${randomUUID()}`;
  const ends = await kafka.end(topic);
  if (strategy === 'ceiling') {
    const noop = await measureCeiling(kafka, topic, groupId, ends, { parse: true });
    console.log(
      `  ceiling (kafkajs reads and JSON.parses, stores nothing): ${fmt(EVENTS / noop.seconds, 0)} events/s from the first batch`,
    );
  } else {
    const archiver = createArchiver({
      brokers: config.brokers,
      clientId: 'bench-archiver',
      groupId,
      topic,
      fromBeginning: true,
      databaseUrl: config.databaseUrl as string,
      maxDays: 30,
      logger,
      strategy,
    });
    const started = performance.now();
    const cpu = process.cpuUsage();
    const backends = backendCpu();
    await archiver.start();
    const finished = await kafka.untilCommitted(groupId, topic, ends, 600_000, 50);
    const used = process.cpuUsage(cpu);
    const pgSeconds = await backends.stop();
    const seconds = (finished - started) / 1000;
    const first = archiver.firstBatchAt() ?? started;
    const archived = archiver.archived();
    await archiver.stop();
    const rate = EVENTS / ((finished - first) / 1000);
    const perEvent = (s: number) => fmt((s * 1e6) / EVENTS, 1);
    console.log(
      `  archiver, ${strategy.padEnd(16)}: ${fmt(archived, 0)} events stored, ${fmt(rate, 0)} events/s from the first batch (${fmt(EVENTS / seconds, 0)} from start, the group join's ${fmt((first - started) / 1000, 1)} s included); CPU per event: this process ${perEvent((used.user + used.system) / 1e6)} µs, its Postgres backends ${pgSeconds === undefined ? 'n/a' : `${perEvent(pgSeconds)} µs`}  [target >= 50,000: ${verdict(rate >= 50_000)}]`,
    );
  }
  for (const id of ids) await withTenant(db, id, (tx) => tx.delete(tenants).where(eq(tenants.id, id)));
  await kafka.deleteTopics([topic]);
  await kafka.deleteGroups([groupId]);
  await kafka.close();
}

/**
 * CPU seconds the archiver's Postgres backends use from now to stop(), read from /proc every
 * 250 ms (a pooled connection may close and another open during the run): only when Postgres runs
 * on this machine, undefined otherwise.
 */
function backendCpu() {
  const seen = new Map<number, number>();
  let visible = true;
  const sample = async () => {
    const { rows } = await admin.db.execute<{ pid: number }>(
      sql`select pid from pg_stat_activity where application_name = 'tripwire-archiver' and datname = current_database()`,
    );
    for (const { pid } of rows) {
      try {
        if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('postgres')) visible = false;
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        // utime + stime, in clock ticks (100 per second); a backend is new with the archiver's pool.
        seen.set(pid, Math.max(seen.get(pid) ?? 0, Number(fields[11]) + Number(fields[12])));
      } catch {
        // Closed since the query (its last sample stays), or not on this machine (nothing seen).
      }
    }
  };
  let sampling = Promise.resolve();
  const timer = setInterval(() => {
    sampling = sampling.then(sample).catch(() => {});
  }, 250);
  return {
    async stop(): Promise<number | undefined> {
      clearInterval(timer);
      await sampling;
      await sample().catch(() => {});
      if (!visible || seen.size === 0) return undefined;
      let ticks = 0;
      for (const t of seen.values()) ticks += t;
      return ticks / 100;
    },
  };
}

/** The 20M-row tenant, made once with generate_series over the last 7 days, day partition by day partition. */
async function bigTenant(): Promise<string> {
  const name = `bench history ${ROWS}`;
  const { rows } = await admin.db.execute<{ id: string }>(sql`select id from tenants where name = ${name} limit 1`);
  const found = rows[0]?.id;
  const store = postgresEventHistory(db, { maxDays: 30 });
  await store.maintain(new Date());
  if (found) {
    const { rows: c } = await admin.db.execute<{ n: string }>(
      sql`select count(*) as n from event_history where tenant_id = ${found}::uuid and received_at > now() - interval '7 days'`,
    );
    if (Number(c[0]?.n) >= ROWS * 0.95) return found;
    await admin.db.execute(sql`delete from tenants where id = ${found}::uuid`);
  }
  const id = randomUUID();
  await withTenant(db, id, (tx) => tx.insert(tenants).values({ id, name, historyRetentionDays: 7 }));
  const end = Date.now();
  const start = end - 7 * DAY;
  for (let d = start - (start % DAY); d < end; d += DAY)
    await admin.db.execute(sql`select tripwire_history_partitions(${new Date(d).toISOString().slice(0, 10)}::date, 1)`);
  const chunks = 20;
  const per = Math.ceil(ROWS / chunks);
  const t0 = performance.now();
  for (let c = 0; c < chunks; c++) {
    // Row i: user i % USERS, received evenly over the 7 days (so each user's rows spread over the week).
    await admin.db.execute(sql`
      insert into event_history (tenant_id, user_id, received_at, message_id, type, event, timestamp, properties)
      select ${id}::uuid, 'u' || (i % ${USERS}), ts, 'g-' || i, 'track',
             (array['page_viewed','order_completed','signed_up','cart_updated'])[1 + i % 4], ts,
             jsonb_build_object('total', i % 500, 'path', '/p/' || (i % 40))
      from generate_series(${c * per}::bigint, ${Math.min(ROWS, (c + 1) * per) - 1}::bigint) as i,
           lateral (select to_timestamp((${start} + (i::float8 / ${ROWS}) * ${end - start}) / 1000.0) as ts) t`);
    process.stdout.write(`\rgenerating ${fmt(Math.min(ROWS, (c + 1) * per), 0)} / ${fmt(ROWS, 0)} rows`);
  }
  console.log(` in ${fmt((performance.now() - t0) / 1000, 0)} s`);
  await admin.db.execute(sql`analyze event_history`);
  return id;
}

async function userQuery() {
  const tenantId = await bigTenant();
  const store = postgresEventHistory(db, { maxDays: 30 });
  const samples: number[] = [];
  let rows = 0;
  for (let i = 0; i < 60; i++) {
    const userId = `u${Math.floor(Math.random() * USERS)}`;
    const t = performance.now();
    const events = await withTenant(db, tenantId, async (tx) => {
      const now = new Date();
      const { from } = await store.retention(tx, tenantId, now);
      return store.byUser(tx, tenantId, userId, { from, to: now }, 10_000);
    });
    samples.push(performance.now() - t);
    rows += events.length;
  }
  const p = percentiles(samples);
  console.log(
    `one user's last 7 days with ${fmt(ROWS, 0)} events stored: ${fmt(rows / samples.length, 0)} events per user, p50 ${fmt(p.p50)} ms, p99 ${fmt(p.p99)} ms, max ${fmt(Math.max(...samples))} ms  [target < 200 ms: ${verdict(Math.max(...samples) < 200)}]`,
  );
}

try {
  if (process.env.HISTORY_BENCH_SKIP_ARCHIVER !== '1') {
    console.log(
      `archiver: ${fmt(EVENTS, 0)} events of ${TENANTS} tenants on ${config.partitions} partitions per round`,
    );
    await archiverThroughput('ceiling');
    for (let round = 0; round < ROUNDS; round++)
      for (const strategy of STRATEGIES.slice(round % 3).concat(STRATEGIES.slice(0, round % 3)))
        await archiverThroughput(strategy);
  }
  if (process.env.HISTORY_BENCH_SKIP_QUERY !== '1') await userQuery();
} finally {
  await close();
  await admin.close();
}
process.exit(0);
