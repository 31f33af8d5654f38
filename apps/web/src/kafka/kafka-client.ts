// The only file in apps/web that imports kafkajs, so the client can be swapped: the events
// producer (ingestion) and a tail of the events topic (the event debugger).
import { CompressionTypes, Kafka, logLevel, type Producer } from 'kafkajs';

export interface OutgoingMessage {
  key: string;
  value: string;
}

export interface EventProducer {
  connect(): Promise<void>;
  /** Resolves once Kafka acknowledged every message (acks=all); rejects with KafkaUnavailable. */
  send(messages: OutgoingMessage[]): Promise<void>;
  disconnect(): Promise<void>;
}

export class KafkaUnavailable extends Error {}

export interface ProducerOptions {
  brokers: string[];
  clientId: string;
  topic: string;
  /** Upper bound on one send, retries included, so a request never hangs on a dead broker. */
  sendTimeoutMs?: number;
  /** How long concurrent sends wait to share one produce request. */
  lingerMs?: number;
}

interface Pending {
  messages: OutgoingMessage[];
  resolve(): void;
  reject(error: Error): void;
}

export function createEventProducer(options: ProducerOptions): EventProducer {
  const { topic, sendTimeoutMs = 5000, lingerMs = 2 } = options;
  const kafka = new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2000,
    requestTimeout: sendTimeoutMs,
    retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1000 },
  });
  // Idempotent: a retried produce request cannot write a message twice.
  const producer: Producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  let connecting: Promise<void> | undefined;
  let queue: Pending[] = [];
  let timer: NodeJS.Timeout | undefined;

  function ensureConnected(): Promise<void> {
    connecting ??= producer.connect().catch((error: unknown) => {
      connecting = undefined;
      throw error;
    });
    return connecting;
  }

  async function flush() {
    timer = undefined;
    const batch = queue;
    queue = [];
    if (batch.length === 0) return;
    const messages = batch.flatMap((p) => p.messages);
    let timeout: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        (async () => {
          await ensureConnected();
          await producer.send({ topic, acks: -1, compression: CompressionTypes.None, messages });
        })(),
        new Promise<never>((_, reject) => {
          timeout = setTimeout(() => reject(new Error(`no acknowledgement within ${sendTimeoutMs} ms`)), sendTimeoutMs);
        }),
      ]);
      for (const p of batch) p.resolve();
    } catch (error) {
      const reason = new KafkaUnavailable(error instanceof Error ? error.message : String(error));
      for (const p of batch) p.reject(reason);
    } finally {
      clearTimeout(timeout);
    }
  }

  return {
    connect: () => ensureConnected(),
    send(messages) {
      if (messages.length === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        queue.push({ messages, resolve, reject });
        // Big requests go at once; small ones wait a moment for company.
        if (messages.length >= 100) {
          clearTimeout(timer);
          void flush();
        } else {
          timer ??= setTimeout(() => void flush(), lingerMs);
        }
      });
    },
    async disconnect() {
      clearTimeout(timer);
      await flush();
      await producer.disconnect();
    },
  };
}

export interface TailMessage {
  key: Buffer | null;
  value: Buffer | null;
}

export interface TopicTailOptions {
  brokers: string[];
  clientId: string;
  topic: string;
  /** A group of its own: the tail reads every partition from the newest offset on, commits nothing. */
  groupId: string;
  onMessages(messages: TailMessage[]): void;
  /** The group was joined: from now on new messages arrive. */
  onReady(): void;
  onCrash(error: unknown): void;
}

export interface TopicTail {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Reads new messages of a topic as they arrive, for watching rather than processing: no offsets
 * are committed, so the group disappears from the broker when the tail stops.
 */
export function createTopicTail(options: TopicTailOptions): TopicTail {
  const kafka = new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 2000,
  });
  const consumer = kafka.consumer({
    groupId: options.groupId,
    sessionTimeout: 10_000,
    heartbeatInterval: 3000,
    // A fetch answers as soon as one byte is there; this only bounds an idle long poll.
    maxWaitTimeInMs: 1000,
    retry: { retries: 5 },
  });
  consumer.on(consumer.events.GROUP_JOIN, () => options.onReady());
  consumer.on(consumer.events.CRASH, (e) => {
    if (!e.payload.restart) options.onCrash(e.payload.error);
  });
  return {
    async start() {
      await consumer.connect();
      await consumer.subscribe({ topic: options.topic, fromBeginning: false });
      await consumer.run({
        autoCommit: false,
        partitionsConsumedConcurrently: 1,
        eachBatch: async ({ batch }) => {
          options.onMessages(batch.messages.map((m) => ({ key: m.key, value: m.value })));
        },
      });
    },
    stop: () => consumer.disconnect(),
  };
}
