// Kafka side of the bench: topics, a fast bulk producer, the no-op consumer that sets the ceiling,
// and a probe of a group's committed offsets against the topic's end.
import { Kafka, logLevel } from 'kafkajs';
import type { Message } from './events.ts';

export function benchKafka(brokers: string[]) {
  const kafka = new Kafka({ clientId: 'tripwire-bench', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  const producer = kafka.producer();
  let connected: Promise<unknown> | undefined;
  const connect = () => {
    connected ??= Promise.all([admin.connect(), producer.connect()]);
    return connected;
  };

  async function end(topic: string): Promise<Map<number, number>> {
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((p) => [p.partition, Number(p.high)]));
  }

  /** Messages of `topic` the group has not committed yet. */
  async function remaining(groupId: string, topic: string, ends: Map<number, number>): Promise<number> {
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const done = new Map(committed?.partitions.map((p) => [p.partition, Number(p.offset)]) ?? []);
    let left = 0;
    for (const [partition, high] of ends) left += Math.max(0, high - Math.max(0, done.get(partition) ?? 0));
    return left;
  }

  return {
    async createTopic(topic: string, numPartitions: number) {
      await connect();
      await admin.createTopics({ topics: [{ topic, numPartitions }], waitForLeaders: true });
      return topic;
    },
    async deleteTopics(topics: string[]) {
      await connect();
      await admin.deleteTopics({ topics }).catch(() => {});
    },
    async deleteGroups(groups: string[]) {
      await connect();
      await admin.deleteGroups(groups).catch(() => {});
    },
    /** Sends in chunks, a few in flight; resolves when every message is acknowledged. */
    async produce(topic: string, messages: Message[], chunk = 5000, inFlight = 4) {
      await connect();
      let next = 0;
      await Promise.all(
        Array.from({ length: inFlight }, async () => {
          while (next < messages.length) {
            const slice = messages.slice(next, next + chunk);
            next += chunk;
            await producer.send({ topic, acks: -1, messages: slice });
          }
        }),
      );
    },
    end,
    /** Polls every `everyMs` until the group committed the topic's end; the elapsed time, or throws at `timeoutMs`. */
    async untilCommitted(groupId: string, topic: string, ends: Map<number, number>, timeoutMs: number, everyMs = 100) {
      const deadline = Date.now() + timeoutMs;
      for (let polls = 0; polls < timeoutMs / everyMs + 10; polls++) {
        const left = await remaining(groupId, topic, ends).catch(() => Number.NaN);
        if (left === 0) return performance.now();
        if (Date.now() > deadline)
          throw new Error(`group ${groupId}: ${left} messages not committed in ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, everyMs));
      }
      throw new Error(`group ${groupId}: poll limit reached`);
    },
    remaining,
    /**
     * The ceiling: a kafkajs consumer that does nothing with its batches, same fetch settings as the
     * engine. With `parse`, it only JSON.parses each message: the floor of any engine that reads JSON.
     */
    async noopConsumer(groupId: string, topic: string, { parse = false } = {}) {
      const consumer = kafka.consumer({ groupId, maxBytesPerPartition: 4 * 1024 * 1024 });
      let seen = 0;
      let firstBatchAt: number | undefined;
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        partitionsConsumedConcurrently: 3,
        eachBatch: async ({ batch }) => {
          firstBatchAt ??= performance.now();
          seen += batch.messages.length;
          if (parse)
            for (const m of batch.messages) {
              try {
                JSON.parse(m.value?.toString('utf8') ?? 'null');
              } catch {}
            }
        },
      });
      return { seen: () => seen, firstBatchAt: () => firstBatchAt, stop: () => consumer.disconnect() };
    },
    producer,
    async close() {
      await producer.disconnect().catch(() => {});
      await admin.disconnect().catch(() => {});
    },
  };
}
export type BenchKafka = ReturnType<typeof benchKafka>;
