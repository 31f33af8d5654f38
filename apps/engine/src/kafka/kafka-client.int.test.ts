import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { kafka, until } from '../../test/fixtures.ts';
import { createLogger } from '../logger.ts';
import { type BatchControl, createKafka, type EventConsumer, type RawMessage } from './kafka-client.ts';

// The consumer's side of effectively-once under rebalances, against the real broker: a batch slower
// than the session timeout keeps its partition (kafkajs heartbeats only between batches), and a long
// batch that the group takes away mid-way stops at its next slice with what it did committed.

const SESSION_MS = 6000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const client = createKafka({
  brokers: (process.env.KAFKA_BROKERS as string).split(','),
  clientId: 'consumer-test',
  logger: createLogger('silent'),
});
const started: EventConsumer[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((c) => c.stop().catch(() => {})));
});

async function produce(topic: string, n: number) {
  await kafka.produce(
    topic,
    Array.from({ length: n }, (_, i) => ({ key: 'one-key', value: JSON.stringify({ i }) })),
  );
}

function consumer(groupId: string, topic: string, onBatch: Parameters<typeof client.consumer>[0]['onBatch']) {
  let joins = 0;
  const c = client.consumer({
    groupId,
    topic,
    fromBeginning: true,
    sessionTimeoutMs: SESSION_MS,
    onBatch,
    onJoin: () => {
      joins++;
    },
  });
  started.push(c);
  return { c, joins: () => joins };
}

describe('kafka consumer under rebalances', () => {
  it('keeps its partition through a batch that outlasts the session timeout, and delivers it once', async () => {
    const topic = await kafka.createTopic('slow-batch', 1);
    await produce(topic, 50);
    const groupId = `slow-${randomUUID()}`;
    const delivered: string[] = [];
    let first = true;
    const { c, joins } = consumer(groupId, topic, async (messages) => {
      delivered.push(...messages.map((m) => m.offset));
      if (first) {
        first = false;
        // Postgres slow for longer than the session timeout (a backlog, a loaded machine).
        await sleep(SESSION_MS + 4000);
      }
    });
    await c.start();
    await until(() => kafka.consumedAll(topic, groupId), 60_000, 'all 50 messages committed');
    // Dropped from the group mid-batch, the consumer would have had its commit refused and been
    // handed the same 50 messages again after rejoining.
    expect(delivered.length).toBe(50);
    expect(new Set(delivered).size).toBe(50);
    expect(joins()).toBe(1);
  }, 90_000);

  it("fetches the rest of a batch that stopped early ('partial') from where it stopped", async () => {
    const topic = await kafka.createTopic('partial-batch', 1);
    await produce(topic, 50);
    const groupId = `partial-${randomUUID()}`;
    const firsts: string[] = [];
    const delivered: string[] = [];
    const { c } = consumer(groupId, topic, async (messages, control) => {
      firsts.push((messages[0] as RawMessage).offset);
      if (firsts.length === 1) {
        const done = messages.slice(0, 10);
        delivered.push(...done.map((m) => m.offset));
        await control.processed((done[done.length - 1] as RawMessage).offset);
        return 'partial';
      }
      delivered.push(...messages.map((m) => m.offset));
    });
    await c.start();
    await until(() => kafka.consumedAll(topic, groupId), 60_000, 'all 50 messages committed');
    expect(firsts.slice(0, 2)).toEqual(['0', '10']);
    expect(delivered).toEqual(Array.from({ length: 50 }, (_, i) => String(i)));
  }, 90_000);

  it('stops a long batch at the next slice when the group rebalances, with the slices done committed', async () => {
    const topic = await kafka.createTopic('long-batch', 1);
    const N = 600;
    await produce(topic, N);
    const groupId = `long-${randomUUID()}`;
    const handled: { by: string; offset: string }[] = [];
    const batches: { by: string; size: number; handled: number; endedAt?: number }[] = [];
    // Ten messages a slice, 250 ms each: one batch of 600 would take 15 s.
    const slow = (by: string) => async (messages: RawMessage[], control: BatchControl) => {
      const batch: (typeof batches)[number] = { by, size: messages.length, handled: 0 };
      batches.push(batch);
      try {
        for (let i = 0; i < messages.length; i += 10) {
          const slice = messages.slice(i, i + 10);
          await sleep(250);
          for (const m of slice) handled.push({ by, offset: m.offset });
          batch.handled += slice.length;
          await control.processed((slice[slice.length - 1] as RawMessage).offset);
        }
      } finally {
        batch.endedAt = Date.now();
      }
    };
    const a = consumer(groupId, topic, slow('a'));
    await a.c.start();
    await until(() => handled.length >= 40 || undefined, 30_000, 'the first consumer under way');
    // A second member joins: the group rebalances while the first is in the middle of its batch.
    const b = consumer(groupId, topic, slow('b'));
    const joinedAt = Date.now();
    await b.c.start();
    await until(() => kafka.consumedAll(topic, groupId), 60_000, `all ${N} messages committed`);

    const first = batches[0] as (typeof batches)[number];
    expect(first.by).toBe('a');
    // The first batch stopped within a few heartbeats instead of holding up the group for 15 s...
    expect(first.handled).toBeLessThan(first.size);
    expect((first.endedAt ?? Number.POSITIVE_INFINITY) - joinedAt).toBeLessThan(5000);
    // ...and nothing it handled came again: the slices it finished were committed as it went.
    const seen = new Map<string, number>();
    for (const h of handled) seen.set(h.offset, (seen.get(h.offset) ?? 0) + 1);
    expect(seen.size).toBe(N);
    // (at most the slices of the last second: offsets are committed to Kafka at most once a second)
    expect([...seen.values()].filter((n) => n > 1).length).toBeLessThanOrEqual(40);
    expect(a.joins() + b.joins()).toBeGreaterThanOrEqual(3);
  }, 120_000);
});
