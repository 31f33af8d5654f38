// Test-only Kafka helpers: a private topic per test file so tests never see each other's messages.
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';

export function testKafka(brokers: string) {
  const kafka = new Kafka({ clientId: 'tripwire-test', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
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
    async produce(topic: string, messages: { key: string; value: string }[]) {
      const producer = kafka.producer();
      await producer.connect();
      try {
        await producer.send({ topic, acks: -1, messages });
      } finally {
        await producer.disconnect();
      }
    },
  };
}
