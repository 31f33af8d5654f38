import {
  type AppendStrategy,
  createDb,
  type EventHistoryStore,
  postgresEventHistory,
  type StoredEvent,
} from '@tripwire/db';
import { parseEnvelope } from '@tripwire/rules';
import { createKafka, type EventConsumer, type RawMessage } from '../kafka/kafka-client.ts';
import type { Logger } from '../logger.ts';

// The event history archiver (issue 14): its own consumer group on the events topic, so it never
// sits on the engine's critical path (a slow history write delays no run, and the engine's lag is
// not the archiver's). One Kafka batch -> one bulk insert in one transaction; the offset is
// committed after it, and the insert skips rows already stored, so a batch redelivered after a
// crash adds nothing: each event is kept effectively once.

export interface ArchiverOptions {
  brokers: string[];
  clientId: string;
  groupId: string;
  topic: string;
  fromBeginning?: boolean;
  sessionTimeoutMs?: number;
  databaseUrl: string;
  maxDays: number;
  logger: Logger;
  /** How often partitions are made ahead and old days dropped (default hourly). */
  maintainEveryMs?: number;
  /** Forces the store's write path (benchmarks compare them); by default it picks by batch size. */
  strategy?: AppendStrategy;
}

/** Events per transaction of the archiver. */
const ARCHIVE_SLICE = 2000;

/** Messages -> rows: malformed messages are the engine's to dead-letter; the archiver skips them. */
export function toStoredEvents(messages: readonly RawMessage[]): StoredEvent[] {
  const rows: StoredEvent[] = [];
  for (const m of messages) {
    const parsed = parseEnvelope(m.value?.toString('utf8'));
    if (!parsed.ok) continue;
    const e = parsed.envelope;
    rows.push({
      tenantId: e.tenantId,
      userId: e.userId,
      messageId: e.messageId,
      type: e.type,
      event: e.type === 'track' ? (e.event ?? null) : null,
      timestamp: e.timestamp,
      receivedAt: e.receivedAt,
      properties: (e.type === 'identify' ? e.traits : e.properties) ?? null,
    });
  }
  return rows;
}

export interface Archiver {
  store: EventHistoryStore;
  consumer: EventConsumer;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Events written since start (redeliveries not counted). */
  archived(): number;
  /** When the first batch arrived (performance.now()), for throughput without the group join. */
  firstBatchAt(): number | undefined;
}

export function createArchiver(o: ArchiverOptions): Archiver {
  // A connection per partition batch in flight, one for maintenance.
  const { db, close } = createDb({ connectionString: o.databaseUrl, max: 7, applicationName: 'tripwire-archiver' });
  const store = postgresEventHistory(db, { maxDays: o.maxDays, ...(o.strategy ? { strategy: o.strategy } : {}) });
  const kafka = createKafka({ brokers: o.brokers, clientId: o.clientId, logger: o.logger });
  let written = 0;
  let first: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  const consumer = kafka.consumer({
    groupId: o.groupId,
    topic: o.topic,
    fromBeginning: o.fromBeginning ?? false,
    ...(o.sessionTimeoutMs ? { sessionTimeoutMs: o.sessionTimeoutMs } : {}),
    onBatch: async (messages, control) => {
      first ??= performance.now();
      // A few thousand at a time, each committed as it goes: a rebalance waits for one slice, not
      // for a whole 4 MB batch (see kafka-client.ts).
      for (let at = 0; at < messages.length; at += ARCHIVE_SLICE) {
        const slice = messages.slice(at, at + ARCHIVE_SLICE);
        // Partitions run concurrently: add after the await, or one batch's count overwrites another's.
        const added = await store.append(toStoredEvents(slice));
        written += added;
        if (at + ARCHIVE_SLICE < messages.length)
          await control.processed((slice[slice.length - 1] as RawMessage).offset);
      }
    },
  });
  const maintain = () =>
    store
      .maintain(new Date())
      .then((r) => o.logger.info({ history: r }, 'event history retention'))
      .catch((err: unknown) => o.logger.error({ err }, 'event history retention failed'));
  return {
    store,
    consumer,
    async start() {
      await maintain();
      timer = setInterval(() => void maintain(), o.maintainEveryMs ?? 3_600_000);
      timer.unref();
      await consumer.start();
    },
    async stop() {
      clearInterval(timer);
      await consumer.stop().catch((err: unknown) => o.logger.warn({ err }, 'archiver consumer stop failed'));
      await close();
    },
    archived: () => written,
    firstBatchAt: () => first,
  };
}
