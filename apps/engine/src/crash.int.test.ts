import { randomBytes, randomUUID } from 'node:crypto';
import { type EngineProcess, startEngineProcess } from '@tripwire/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTenant, kafka, publish, startReceiver, testDb, track, until } from '../test/fixtures.ts';

// Effectively once under fire: 20,000 events flow while the engine is SIGKILLed again and again.
// Every 4th event triggers a webhook; at the end each of those 5,000 actions must have arrived,
// and every delivery of one action must carry the same webhook-id (duplicates of one id are what
// at-least-once HTTP allows, and receivers deduplicate on it; two ids would be two actions).
const EVENTS = 20_000;
const EXPECTED = EVENTS / 4;
const KILLS = 4;

const { db, close } = testDb();
const receiver = await startReceiver();
const schema = `pgboss_c_${randomBytes(5).toString('hex')}`;
let engine: EngineProcess | undefined;
let env: Record<string, string>;

beforeAll(async () => {
  const tenant = await createTestTenant(db);
  const topic = await kafka.createTopic('crash-events', 6);
  await publish(db, tenant.tenantId, {
    name: 'Every fourth purchase',
    nodes: [
      {
        id: 'start',
        type: 'trigger.event',
        config: { event: 'purchase', filter: { '==': [{ '%': [{ var: 'event.properties.seq' }, 4] }, 0] } },
      },
      {
        id: 'hook',
        type: 'action.webhook',
        config: { url: `${receiver.url}/crash`, body: { seq: '{{ event.properties.seq }}' } },
      },
    ],
    edges: [{ source: 'start', target: 'hook' }],
  });
  env = {
    EVENTS_TOPIC: topic,
    DLQ_TOPIC: await kafka.createTopic('crash-dlq', 1),
    KAFKA_GROUP_ID: `crash-${randomUUID()}`,
    KAFKA_SESSION_TIMEOUT_MS: '6000',
    JOBS_SCHEMA: schema,
    JOBS_SUPERVISE_SECONDS: '2',
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    WEBHOOK_TIMEOUT_MS: '2000',
    ACTION_RETRY_DELAY_SECONDS: '1',
    ACTION_RETRY_DELAY_MAX_SECONDS: '2',
    ACTION_IN_FLIGHT: '800',
    LOG_LEVEL: 'info',
  };
  engine = await startEngineProcess(env);

  // Produce in chunks while a killer restarts the engine with SIGKILL a few times.
  const producing = (async () => {
    for (let seq = 0; seq < EVENTS; seq += 500) {
      await kafka.produce(
        topic,
        Array.from({ length: 500 }, (_, i) =>
          track(tenant.tenantId, `user-${(seq + i) % 997}`, 'purchase', { seq: seq + i }),
        ),
      );
      await new Promise((r) => setTimeout(r, 150));
    }
  })();
  for (let k = 0; k < KILLS; k++) {
    await new Promise((r) => setTimeout(r, 2500 + Math.random() * 1500));
    await engine.stop('SIGKILL');
    engine = await startEngineProcess(env);
  }
  await producing;
}, 240_000);

afterAll(async () => {
  await engine?.stop();
  await db.execute(sql.raw(`drop schema if exists ${schema} cascade`)).catch(() => {});
  await receiver.close();
  await close();
});

describe(`crash test: ${EVENTS} events, ${KILLS} SIGKILLs`, () => {
  it('delivers every expected action, none missing, each with exactly one webhook-id', async () => {
    const idsBySeq = () => {
      const map = new Map<number, Set<string>>();
      for (const r of receiver.received) {
        const seq = Number(r.json.seq);
        const ids = map.get(seq) ?? new Set<string>();
        ids.add(String(r.headers['webhook-id']));
        map.set(seq, ids);
      }
      return map;
    };
    await until(
      () => (idsBySeq().size >= EXPECTED ? true : undefined),
      180_000,
      `${EXPECTED} distinct actions delivered`,
    );
    // Let stragglers (retries of jobs a killed engine had in flight) land before judging.
    await new Promise((r) => setTimeout(r, 3000));
    const seen = idsBySeq();
    const expected = Array.from({ length: EXPECTED }, (_, i) => i * 4);
    expect(expected.filter((seq) => !seen.has(seq))).toEqual([]);
    expect([...seen.keys()].filter((seq) => seq % 4 !== 0)).toEqual([]);
    expect([...seen.entries()].filter(([, ids]) => ids.size !== 1)).toEqual([]);
    const allIds = new Set([...seen.values()].flatMap((ids) => [...ids]));
    expect(allIds.size).toBe(EXPECTED);
    console.log(
      `crash test: ${receiver.received.length} deliveries for ${EXPECTED} actions (${receiver.received.length - EXPECTED} duplicates of the same webhook-id)`,
    );
  }, 240_000);
});
