// Test-only Kafka helpers: a private topic per test file, and reading it back.
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';

export interface ReadMessage {
  key: string;
  value: Record<string, unknown>;
  partition: number;
}

export function testKafka(brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092') {
  const kafka = new Kafka({ clientId: 'tripwire-test', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  return {
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
    /** Reads the whole topic from the start until `count` messages arrived (or times out). */
    async read(topic: string, count: number, timeoutMs = 15_000): Promise<ReadMessage[]> {
      const consumer = kafka.consumer({ groupId: `test-reader-${randomUUID()}` });
      const seen: ReadMessage[] = [];
      await consumer.connect();
      try {
        await consumer.subscribe({ topic, fromBeginning: true });
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`read ${seen.length} of ${count} messages`)), timeoutMs);
          void consumer.run({
            eachMessage: async ({ message, partition }) => {
              seen.push({
                key: message.key?.toString() ?? '',
                value: JSON.parse(message.value?.toString() ?? 'null'),
                partition,
              });
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
  };
}
