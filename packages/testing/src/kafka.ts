import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';

export interface ReadMessage {
  key: string;
  /** The raw value; `json` is it parsed (null when it is not JSON). */
  value: string;
  json: Record<string, unknown> | null;
  headers: Record<string, string>;
  partition: number;
}

const parse = (text: string) => {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
};

/** Kafka for tests: a private topic per test (file), producing, and reading a topic back. */
export function testKafka(brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092') {
  const kafka = new Kafka({ clientId: 'tripwire-test', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  let connected: Promise<void> | undefined;
  return {
    kafka,
    async createTopic(prefix: string, partitions = 3): Promise<string> {
      const topic = `test.${prefix}.${randomUUID()}`;
      const admin = kafka.admin();
      await admin.connect();
      try {
        await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
      } finally {
        await admin.disconnect();
      }
      return topic;
    },
    async topics(): Promise<string[]> {
      const admin = kafka.admin();
      await admin.connect();
      try {
        return await admin.listTopics();
      } finally {
        await admin.disconnect();
      }
    },
    async produce(topic: string, messages: { key: string; value: string }[]) {
      connected ??= producer.connect();
      await connected;
      await producer.send({ topic, acks: -1, messages: messages.map(({ key, value }) => ({ key, value })) });
    },
    /**
     * True once consumer group `groupId` has committed, on every partition of `topic`, the offset
     * after the last message produced there: every message so far was processed.
     */
    async consumedAll(topic: string, groupId: string): Promise<boolean> {
      const admin = kafka.admin();
      await admin.connect();
      try {
        const [ends, [committed]] = await Promise.all([
          admin.fetchTopicOffsets(topic),
          admin.fetchOffsets({ groupId, topics: [topic] }),
        ]);
        const at = new Map(committed?.partitions.map((p) => [p.partition, Number(p.offset)]));
        return ends.every((e) => Number(e.high) === 0 || (at.get(e.partition) ?? -1) >= Number(e.high));
      } catch {
        // A retriable broker answer (metadata of a partition moving): not yet, ask again.
        return false;
      } finally {
        await admin.disconnect();
      }
    },
    /** Reads a topic from the start until `count` messages arrived. */
    async read(topic: string, count: number, timeoutMs = 15_000) {
      const consumer = kafka.consumer({ groupId: `test-reader-${randomUUID()}` });
      const seen: ReadMessage[] = [];
      await consumer.connect();
      try {
        await consumer.subscribe({ topic, fromBeginning: true });
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`read ${seen.length} of ${count}`)), timeoutMs);
          void consumer.run({
            eachMessage: async ({ message, partition }) => {
              const headers = Object.fromEntries(
                Object.entries(message.headers ?? {}).map(([k, h]) => [k, String(h?.toString() ?? '')]),
              );
              const value = message.value?.toString() ?? '';
              seen.push({ key: message.key?.toString() ?? '', value, json: parse(value), headers, partition });
              if (seen.length >= count) {
                clearTimeout(timer);
                resolve();
              }
            },
          });
        });
      } finally {
        await consumer.disconnect();
      }
      return seen;
    },
    disconnect: () => producer.disconnect(),
  };
}
