import { randomBytes, randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runs, userMarks, withTenant } from '@tripwire/db';
import { type EngineProcess, startEngineProcess } from '@tripwire/testing';
import { count, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTenant, kafka, publish, startReceiver, testDb, track, until } from '../test/fixtures.ts';

// A rebalance storm: three engines share one consumer group on a 6-partition topic while events
// flow, and every few seconds one of them, at random, is SIGKILLed and started again. Each kill
// moves its partitions to the others mid-batch, abandons its pg-boss jobs (delay resumes and
// deliveries) and leaves no goodbye. Afterwards the outcome must be what one engine that never
// failed would have produced:
// - per user, the first CAP purchases pass the frequency cap (user_marks holds exactly CAP passes),
//   wait DELAY and send a `pass` webhook; every later purchase sends a `limited` webhook at once;
// - every one of those actions arrived, each under exactly one webhook-id;
// - one run per event, all completed: none lost, none stuck running or waiting.
// STORM_EVENTS sets the size (CI: 5,000; the full storm: STORM_EVENTS=50000).
const EVENTS = Number(process.env.STORM_EVENTS ?? 5000);
const USERS = Math.max(50, Math.round(EVENTS / 5));
const CAP = 3;
const DELAY_SECONDS = 2;
const ENGINES = 3;
// Events are produced evenly over this long (the storm lasts as long): several kills at any size.
const STORM_MS = Number(process.env.STORM_SECONDS ?? (EVENTS > 10_000 ? 60 : 30)) * 1000;
const CHUNK = 250;
// How long the engines may take after the storm to deliver everything (STORM_DRAIN_SECONDS).
const DRAIN_SECONDS = Number(process.env.STORM_DRAIN_SECONDS ?? (EVENTS > 10_000 ? 480 : 150));

const { db, close } = testDb();
const receiver = await startReceiver();
const schema = `pgboss_s_${randomBytes(5).toString('hex')}`;
const engines: (EngineProcess | undefined)[] = [];
let env: Record<string, string>;
let tenantId: string;
let workflowId: string;
let kills = 0;
let stormMs = 0;
/** Engines that exited without being killed (a supervisor would start them again; so does the test). */
let selfExits = 0;
/** Starts that did not say 'engine started' in time and were tried again. */
let failedStarts = 0;
let finished = false;
let supervisor: NodeJS.Timeout | undefined;
// Every engine's output, the killed ones' included, for a look after a failed run.
const logFile = join(tmpdir(), `storm-${randomBytes(4).toString('hex')}.log`);
const keepLog = (i: number, e: EngineProcess, how: string) =>
  appendFileSync(logFile, `\n===== engine slot ${i} (${how}) =====\n${e.output()}`);

const userOf = (seq: number) => `user-${seq % USERS}`;

/** What one engine produces: per user, the first CAP purchases pass, the rest are limited. */
function expectedOutcome() {
  const kind = new Map<number, 'pass' | 'limited'>();
  const seen = new Map<string, number>();
  for (let seq = 0; seq < EVENTS; seq++) {
    const n = seen.get(userOf(seq)) ?? 0;
    seen.set(userOf(seq), n + 1);
    kind.set(seq, n < CAP ? 'pass' : 'limited');
  }
  const passesByUser = new Map([...seen].map(([user, n]) => [user, Math.min(n, CAP)]));
  return { kind, passesByUser };
}

beforeAll(async () => {
  tenantId = (await createTestTenant(db)).tenantId;
  const topic = await kafka.createTopic('storm-events', 6);
  ({ workflowId } = await publish(db, tenantId, {
    name: 'Capped, delayed purchase hook',
    nodes: [
      { id: 'start', type: 'trigger.event', config: { event: 'purchase' } },
      { id: 'cap', type: 'limit.frequency', config: { max: CAP, per: 'P1D' } },
      { id: 'delay', type: 'wait.delay', config: { duration: `PT${DELAY_SECONDS}S` } },
      {
        id: 'passed',
        type: 'action.webhook',
        config: { url: `${receiver.url}/pass`, body: { seq: '{{ event.properties.seq }}', kind: 'pass' } },
      },
      {
        id: 'limited',
        type: 'action.webhook',
        config: { url: `${receiver.url}/limited`, body: { seq: '{{ event.properties.seq }}', kind: 'limited' } },
      },
    ],
    edges: [
      { source: 'start', target: 'cap' },
      { source: 'cap', target: 'delay', sourceHandle: 'pass' },
      { source: 'cap', target: 'limited', sourceHandle: 'limited' },
      { source: 'delay', target: 'passed' },
    ],
  }));
  env = {
    EVENTS_TOPIC: topic,
    DLQ_TOPIC: await kafka.createTopic('storm-dlq', 1),
    KAFKA_GROUP_ID: `storm-${randomUUID()}`,
    KAFKA_SESSION_TIMEOUT_MS: '6000',
    JOBS_SCHEMA: schema,
    JOBS_SUPERVISE_SECONDS: '2',
    // A killed engine's claimed delay resumes come back after this long (production: 60 s).
    JOBS_RESUME_EXPIRE_SECONDS: '10',
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    WEBHOOK_TIMEOUT_MS: '2000',
    ACTION_RETRY_DELAY_SECONDS: '1',
    ACTION_RETRY_DELAY_MAX_SECONDS: '2',
    ACTION_IN_FLIGHT: '400',
    // One receiver takes every delivery: the endpoint limits are not what this test is about.
    ACTION_ENDPOINT_CONCURRENCY: '200',
    ACTION_ENDPOINT_RATE: '10000',
    LOG_LEVEL: 'info', // startEngineProcess waits for the 'engine started' line
  };
  // Started one after another: the first creates the pg-boss schema the others find.
  for (let i = 0; i < ENGINES; i++) engines.push(await startEngineProcess(env));
  // Starts an engine in slot i again; on a loaded machine loading the source alone can take most of
  // a minute, so a start is given three minutes and tried again if it fails.
  const restarting = new Set<number>();
  const restart = async (i: number) => {
    restarting.add(i);
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          const fresh = await startEngineProcess(env, { startTimeoutMs: 180_000 });
          // Started after the test gave up: never leave it consuming.
          if (finished) await fresh.stop('SIGKILL');
          else engines[i] = fresh;
          return;
        } catch (error) {
          failedStarts++;
          appendFileSync(logFile, `\n===== engine slot ${i}: start ${attempt} failed =====\n${error}`);
          if (attempt === 3 || finished) throw error;
        }
      }
    } finally {
      restarting.delete(i);
    }
  };
  supervisor = setInterval(() => {
    for (const [i, e] of engines.entries()) {
      if (!e || (e.process.exitCode === null && e.process.signalCode === null) || restarting.has(i)) continue;
      selfExits++;
      keepLog(i, e, `exited by itself: ${e.process.exitCode ?? e.process.signalCode}`);
      engines[i] = undefined;
      void restart(i).catch(() => {});
    }
  }, 1000);

  const started = Date.now();
  let producing = true;
  const production = (async () => {
    try {
      for (let seq = 0; seq < EVENTS; seq += CHUNK) {
        const size = Math.min(CHUNK, EVENTS - seq);
        await kafka.produce(
          topic,
          Array.from({ length: size }, (_, i) => track(tenantId, userOf(seq + i), 'purchase', { seq: seq + i })),
        );
        const due = started + ((seq + size) / EVENTS) * STORM_MS;
        await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
      }
    } finally {
      producing = false;
    }
  })();
  // The chaos loop: while events flow, SIGKILL a random running engine every 2-4 s and start it
  // again in the background (a start takes seconds on a loaded machine; kills go on meanwhile).
  const restarts: Promise<void>[] = [];
  while (producing) {
    await new Promise((r) => setTimeout(r, 2000 + Math.random() * 2000));
    const up = engines.flatMap((e, i) => (e && !restarting.has(i) ? [i] : []));
    if (!producing || up.length === 0) continue;
    const victim = up[Math.floor(Math.random() * up.length)] as number;
    const engine = engines[victim] as EngineProcess;
    engines[victim] = undefined;
    await engine.stop('SIGKILL');
    kills++;
    keepLog(victim, engine, `SIGKILL ${kills}`);
    restarts.push(restart(victim));
  }
  await Promise.all(restarts);
  await production;
  stormMs = Date.now() - started;
}, 900_000);

/** The group's committed offset against the end of each partition, and what the engines last said. */
async function consumerLag() {
  const admin = kafka.kafka.admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(env.EVENTS_TOPIC as string);
    const [committed] = await admin.fetchOffsets({
      groupId: env.KAFKA_GROUP_ID as string,
      topics: [env.EVENTS_TOPIC as string],
    });
    const lag = ends.map((e) => {
      const c = committed?.partitions.find((p) => p.partition === e.partition)?.offset ?? '-1';
      return `p${e.partition} ${c}/${e.offset}`;
    });
    const said = engines.map(
      (e, i) =>
        `engine ${i}: ${(e?.output() ?? '')
          .split('\n')
          .filter((l) => /"level":(40|50|60)/.test(l))
          .slice(-3)
          .join(' | ')}`,
    );
    return `committed/end ${lag.join(', ')}; ${said.join('; ')}; engines that exited by themselves: ${selfExits}; starts tried again: ${failedStarts}; every engine's output: ${logFile}`;
  } finally {
    await admin.disconnect();
  }
}

afterAll(async () => {
  finished = true;
  clearInterval(supervisor);
  for (const [i, e] of engines.entries()) if (e) keepLog(i, e, 'at the end');
  await Promise.all(engines.map((e) => e?.stop()));
  await db.execute(sql.raw(`drop schema if exists ${schema} cascade`)).catch(() => {});
  await receiver.close();
  await close();
});

describe(`rebalance storm: ${ENGINES} engines, ${EVENTS} events, SIGKILLs every few seconds`, () => {
  it(
    'ends as one engine would have: every action once per webhook-id, no run lost or stuck, state exact',
    async () => {
      // A storm, not a breeze: engines died several times while events flowed.
      expect(kills).toBeGreaterThanOrEqual(3);
      const { kind, passesByUser } = expectedOutcome();
      const deliveries = () => {
        const bySeq = new Map<number, { kinds: Set<string>; ids: Set<string> }>();
        for (const r of receiver.received) {
          const seq = Number(r.json.seq);
          const entry = bySeq.get(seq) ?? { kinds: new Set(), ids: new Set() };
          entry.kinds.add(String(r.json.kind));
          entry.ids.add(String(r.headers['webhook-id']));
          bySeq.set(seq, entry);
        }
        return bySeq;
      };
      const runStates = () =>
        withTenant(db, tenantId, (tx) =>
          tx
            .select({ status: runs.status, n: count() })
            .from(runs)
            .where(sql`${runs.workflowId} = ${workflowId}`)
            .groupBy(runs.status),
        );
      // Every action delivered and every run finished (a killed engine's jobs come back once their
      // lease runs out), or the deadline says what is missing.
      const drained = Date.now();
      let last = '';
      await until(
        async () => {
          const states = await runStates();
          last = `${deliveries().size} actions delivered; runs ${JSON.stringify(states)}`;
          const done = states.find((s) => s.status === 'completed')?.n ?? 0;
          return done === EVENTS && deliveries().size >= EVENTS ? true : undefined;
        },
        DRAIN_SECONDS * 1000,
        `${EVENTS} actions delivered and ${EVENTS} runs completed`,
      ).catch(async (err: Error) => {
        throw new Error(`${err.message}; at the end: ${last}; ${await consumerLag()}`);
      });
      const drainMs = Date.now() - drained;
      // Let stragglers (redeliveries of jobs a killed engine had in flight) land before judging.
      await new Promise((r) => setTimeout(r, 3000));

      const seen = deliveries();
      const missing = [...kind.keys()].filter((seq) => !seen.has(seq));
      expect(missing.slice(0, 20)).toEqual([]);
      expect([...seen.keys()].filter((seq) => !kind.has(seq))).toEqual([]);
      // The right branch for each event: the cap's state is what one engine in order would have kept.
      const wrongBranch = [...seen].filter(([seq, d]) => d.kinds.size !== 1 || !d.kinds.has(kind.get(seq) as string));
      expect(wrongBranch.slice(0, 20)).toEqual([]);
      // One webhook-id per action (duplicates of one id are at-least-once HTTP; two ids are two actions).
      expect([...seen].filter(([, d]) => d.ids.size !== 1).slice(0, 20)).toEqual([]);
      expect(new Set([...seen.values()].flatMap((d) => [...d.ids])).size).toBe(EVENTS);

      // One run per event, none lost, none stuck running or waiting.
      expect(await runStates()).toEqual([{ status: 'completed', n: EVENTS }]);
      // Every delayed run resumed: each pass went through the delay (its webhook names the pass branch).
      const passes = [...kind.values()].filter((k) => k === 'pass').length;
      expect(receiver.received.filter((r) => r.path === '/pass').length).toBeGreaterThanOrEqual(passes);
      // Killed, never crashed: no engine died on its own during the storm.
      expect(selfExits).toBe(0);

      // Per-user state: exactly min(purchases, CAP) passes marked for each user, as one engine marks them.
      const marks = await withTenant(db, tenantId, (tx) =>
        tx
          .select({ userId: userMarks.userId, n: count() })
          .from(userMarks)
          .where(sql`${userMarks.workflowId} = ${workflowId} and ${userMarks.nodeId} = 'cap'`)
          .groupBy(userMarks.userId),
      );
      expect(new Map(marks.map((m) => [m.userId, m.n]))).toEqual(passesByUser);

      console.log(
        `rebalance storm: ${EVENTS} events over ${USERS} users in ${(stormMs / 1000).toFixed(1)} s, ${kills} SIGKILLs ` +
          `of ${ENGINES} engines; ${EVENTS} actions (${passes} after a ${DELAY_SECONDS} s delay) done ` +
          `${(drainMs / 1000).toFixed(1)} s after the last event was produced; ${receiver.received.length} deliveries ` +
          `(${receiver.received.length - EVENTS} repeats of the same webhook-id); ${failedStarts} engine starts timed ` +
          `out and were tried again; engines' output in ${logFile}`,
      );
    },
    (DRAIN_SECONDS + 120) * 1000,
  );
});
