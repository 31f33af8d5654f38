// The only file in the engine that imports kafkajs, so the client can be swapped.
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import type { Logger } from '../logger.ts';

export type ConsumerState = 'idle' | 'connecting' | 'joined' | 'rebalancing' | 'crashed' | 'stopped';

/** Answers that mean the group is rebalancing or this member is no longer in it (kafkajs error types). */
const MEMBERSHIP_ERRORS = new Set([
  'REBALANCE_IN_PROGRESS',
  'ILLEGAL_GENERATION',
  'UNKNOWN_MEMBER_ID',
  'NOT_COORDINATOR_FOR_GROUP',
]);

export interface RawMessage {
  partition: number;
  offset: string;
  /** When the message was produced (ms since the epoch, as Kafka stores it). */
  timestamp?: string;
  key: Buffer | null;
  value: Buffer | null;
}

export interface BatchControl {
  /** Still allowed to work on this batch (false once the consumer stops). */
  isRunning(): boolean;
  /**
   * Everything of the batch up to and including `offset` is committed in Postgres: the group may
   * move past it (the offset is committed within a second). Throws once the group is rebalancing or
   * has dropped this member: the rest of the batch is then left for whoever owns the partition next.
   */
  processed(offset: string): Promise<void>;
}

export interface ConsumerOptions {
  groupId: string;
  topic: string;
  /** Where a brand-new consumer group starts: the log's start, or only new events (default). */
  fromBeginning?: boolean;
  /** How soon the group notices a member that died without leaving (SIGKILL, lost host). */
  sessionTimeoutMs?: number;
  /**
   * Handles one partition's batch. An offset is committed only after the batch resolves or after
   * `control.processed` said so, so a crash mid-batch redelivers what was not (and the engine's
   * processed-event keys skip what committed). Resolving to 'partial' says the batch stopped early
   * after its last `processed`: the next fetch of the partition starts from there.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: a handler that finished its batch returns nothing
  onBatch(messages: RawMessage[], control: BatchControl): Promise<void | 'partial'>;
  /** After every (re)join of the group: the partitions, and with them the users, may have moved. */
  onJoin?(): void;
}

export interface EventConsumer {
  start(): Promise<void>;
  stop(): Promise<void>;
  state(): ConsumerState;
  ping(): Promise<boolean>;
  /** Messages behind the log end, summed over this group's partitions. */
  lag(): Promise<number>;
  /** Messages behind the log end per partition. */
  partitionLag(): Promise<Map<number, number>>;
}

export interface MessageProducer {
  send(
    topic: string,
    messages: { key?: string | null; value: string; headers?: Record<string, string> }[],
  ): Promise<void>;
  /**
   * Makes sure `topic` exists, creating it (broker defaults for partitions and replication) when
   * fewer than `max` topics start with `prefix`. Producing never creates topics by itself.
   */
  ensureTopic(topic: string, prefix: string, max: number): Promise<'exists' | 'created' | 'over_limit'>;
  disconnect(): Promise<void>;
}

export function createKafka({ brokers, clientId, logger }: { brokers: string[]; clientId: string; logger: Logger }) {
  const kafka = new Kafka({
    clientId,
    brokers,
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ namespace, level, log }) => {
        const { message, ...extra } = log;
        const fn = level <= logLevel.ERROR ? 'error' : level === logLevel.WARN ? 'warn' : 'debug';
        logger[fn]({ kafka: namespace, ...extra }, message);
      },
  });

  function consumer(options: ConsumerOptions): EventConsumer {
    const sessionTimeout = options.sessionTimeoutMs ?? 30_000;
    const heartbeatInterval = Math.max(500, Math.floor(sessionTimeout / 6));
    const c = kafka.consumer({
      groupId: options.groupId,
      // Bigger batches, fewer transactions: 4 MB (about 15k events) ran the bench at 60-66k events/s
      // against 52-57k with 1 MB; 8 MB was no better. A fetch stays capped at kafkajs's 10 MB.
      maxBytesPerPartition: 4 * 1024 * 1024,
      sessionTimeout,
      heartbeatInterval,
    });
    const admin = kafka.admin();
    let state: ConsumerState = 'idle';
    // What a heartbeat or commit answered when the group began to rebalance or no longer knew this
    // member: every batch in flight stops at its next `processed` with it, so kafkajs rejoins at once.
    // An answer to a heartbeat of an earlier generation (sent before the last join) is ignored.
    let leaving: Error | undefined;
    let generation = 0;
    const noteLeaving = (of: number) => (error: unknown) => {
      if (of === generation && MEMBERSHIP_ERRORS.has((error as { type?: string })?.type ?? ''))
        leaving ??= error as Error;
    };
    c.on(c.events.GROUP_JOIN, (e) => {
      state = 'joined';
      generation++;
      leaving = undefined;
      options.onJoin?.();
      logger.info({ memberId: e.payload.memberId, assignment: e.payload.memberAssignment }, 'joined consumer group');
    });
    c.on(c.events.REBALANCING, () => {
      state = 'rebalancing';
    });
    c.on(c.events.CRASH, (e) => {
      state = 'crashed';
      logger.error({ err: e.payload.error, restart: e.payload.restart }, 'consumer crashed');
    });
    async function partitionLag(): Promise<Map<number, number>> {
      const [ends, committed] = await Promise.all([
        admin.fetchTopicOffsets(options.topic),
        admin.fetchOffsets({ groupId: options.groupId, topics: [options.topic] }),
      ]);
      const done = new Map(committed[0]?.partitions.map((p) => [p.partition, Number(p.offset)]) ?? []);
      return new Map(
        ends.map((p) => [p.partition, Math.max(0, Number(p.high) - Math.max(0, done.get(p.partition) ?? 0))]),
      );
    }
    return {
      async start() {
        state = 'connecting';
        await admin.connect();
        await c.connect();
        await c.subscribe({ topic: options.topic, fromBeginning: options.fromBeginning ?? false });
        await c.run({
          autoCommit: true,
          // Offsets `processed` resolves mid-batch are committed at most once a second; kafkajs
          // commits the rest after each batch.
          autoCommitInterval: 1000,
          eachBatchAutoResolve: false,
          // One batch per partition in flight (the topic has 6): while one waits on Postgres, the
          // others parse and evaluate. Batches of one partition stay in order.
          partitionsConsumedConcurrently: 6,
          eachBatch: async ({ batch, resolveOffset, commitOffsetsIfNecessary, heartbeat, isRunning, isStale }) => {
            if (batch.messages.length === 0) return;
            const messages: RawMessage[] = batch.messages.map((m) => ({
              partition: batch.partition,
              offset: m.offset,
              timestamp: m.timestamp,
              key: m.key,
              value: m.value,
            }));
            // kafkajs heartbeats only between batches. A batch that outlasts the session timeout (a
            // backlog after a rebalance, a loaded machine) got this member dropped mid-batch and its
            // offsets refused, again and again: the storm test's offsets hardly moved. So the batch
            // heartbeats while it runs, and learns from the answer when the group rebalances.
            const note = noteLeaving(generation);
            const beat = setInterval(() => void heartbeat().catch(note), heartbeatInterval);
            let outcome: unknown;
            try {
              outcome = await options.onBatch(messages, {
                isRunning: () => isRunning() && !isStale(),
                async processed(offset) {
                  resolveOffset(offset);
                  if (leaving) throw leaving;
                  await commitOffsetsIfNecessary().catch((error: unknown) => {
                    note(error);
                    throw error;
                  });
                },
              });
            } finally {
              clearInterval(beat);
            }
            const last = batch.messages[batch.messages.length - 1];
            if (last && outcome !== 'partial') resolveOffset(last.offset);
            // kafkajs commits the resolved offsets next; if the group is rebalancing, it rejoins.
          },
        });
      },
      async stop() {
        state = 'stopped';
        await c.disconnect();
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
      async lag() {
        let sum = 0;
        for (const n of (await partitionLag()).values()) sum += n;
        return sum;
      },
      partitionLag,
    };
  }

  function producer(): MessageProducer {
    // The default (murmur2, Java-compatible) partitioner, chosen explicitly so kafkajs does not warn about it.
    const p = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
      // Topics are created on purpose (ensureTopic), never as a side effect of a typo.
      allowAutoTopicCreation: false,
    });
    let connecting: Promise<void> | undefined;
    const known = new Set<string>();
    return {
      async ensureTopic(topic, prefix, max) {
        if (known.has(topic)) return 'exists';
        const admin = kafka.admin();
        await admin.connect();
        try {
          const topics = await admin.listTopics();
          if (topics.includes(topic)) {
            known.add(topic);
            return 'exists';
          }
          if (topics.filter((t) => t.startsWith(prefix)).length >= max) return 'over_limit';
          await admin.createTopics({ topics: [{ topic }], waitForLeaders: true });
          known.add(topic);
          return 'created';
        } finally {
          await admin.disconnect();
        }
      },
      async send(topic, messages) {
        connecting ??= p.connect().catch((error: unknown) => {
          connecting = undefined;
          throw error;
        });
        await connecting;
        await p.send({ topic, acks: -1, messages });
      },
      disconnect: () => p.disconnect(),
    };
  }

  return { consumer, producer };
}
