// The only file in the engine that imports kafkajs, so the client can be swapped.
import { type EachBatchPayload, Kafka, logLevel } from 'kafkajs';
import type { Logger } from './logger.ts';

export type ConsumerState = 'idle' | 'connecting' | 'joined' | 'rebalancing' | 'crashed' | 'stopped';

export interface RawMessage {
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  timestamp: string;
}

export interface ConsumerOptions {
  brokers: string[];
  clientId: string;
  groupId: string;
  topic: string;
  logger: Logger;
  /** Handles one partition's batch; offsets are committed only after it resolves. */
  onBatch(messages: RawMessage[], partition: number): Promise<void>;
}

export interface EventConsumer {
  start(): Promise<void>;
  stop(): Promise<void>;
  state(): ConsumerState;
  /** Cheap liveness probe for /health: asks the cluster for its metadata. */
  ping(): Promise<boolean>;
}

export function createKafkaConsumer(options: ConsumerOptions): EventConsumer {
  const { logger } = options;
  const kafka = new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ namespace, level, log }) => {
        const { message, ...extra } = log;
        const fn = level <= logLevel.ERROR ? 'error' : level === logLevel.WARN ? 'warn' : 'debug';
        logger[fn]({ kafka: namespace, ...extra }, message);
      },
  });
  const consumer = kafka.consumer({ groupId: options.groupId });
  const admin = kafka.admin();
  let state: ConsumerState = 'idle';

  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    state = 'joined';
    logger.info({ memberId: e.payload.memberId, assignment: e.payload.memberAssignment }, 'joined consumer group');
  });
  consumer.on(consumer.events.REBALANCING, () => {
    state = 'rebalancing';
  });
  consumer.on(consumer.events.CRASH, (e) => {
    state = 'crashed';
    logger.error({ err: e.payload.error, restart: e.payload.restart }, 'consumer crashed');
  });

  return {
    async start() {
      state = 'connecting';
      await admin.connect();
      await consumer.connect();
      await consumer.subscribe({ topic: options.topic, fromBeginning: false });
      await consumer.run({
        eachBatchAutoResolve: true,
        eachBatch: async ({ batch }: EachBatchPayload) => {
          const messages: RawMessage[] = batch.messages.map((m) => ({
            partition: batch.partition,
            offset: m.offset,
            key: m.key,
            value: m.value,
            timestamp: m.timestamp,
          }));
          await options.onBatch(messages, batch.partition);
        },
      });
    },
    async stop() {
      state = 'stopped';
      await consumer.disconnect();
      await admin.disconnect();
    },
    state: () => state,
    async ping() {
      try {
        await admin.fetchTopicMetadata({ topics: [options.topic] });
        return true;
      } catch {
        return false;
      }
    },
  };
}
