import { type Database, withoutQueryValues } from '@tripwire/db';
import { type EventEnvelope, parseEnvelope } from '@tripwire/rules';
import { sql } from 'drizzle-orm';
import { sqlState } from './db-errors.ts';
import type { EventEvaluator } from './event-evaluator.ts';
import type { JobQueues } from './jobs/job-queues.ts';
import type { BatchControl, MessageProducer, RawMessage } from './kafka/kafka-client.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';
import { againOnQuotaRace } from './state/action-quota.ts';
import type { ProfileCache } from './state/profiles.ts';
import { withinUnit } from './unit-of-work.ts';
import type { Route, WorkflowCache } from './workflow-cache.ts';

export interface BatchProcessorDeps {
  db: Database;
  cache: WorkflowCache;
  evaluator: EventEvaluator;
  jobs: Pick<JobQueues, 'buffer'>;
  profiles: ProfileCache;
  producer: MessageProducer;
  dlqTopic: string;
  metrics: Metrics;
  logger: Logger;
}

interface DeadLetter {
  message: RawMessage;
  /** Its place in the batch. */
  index: number;
  reason: string;
  tenantId?: string;
}

interface Work {
  message: RawMessage;
  /** Its place in the batch. */
  index: number;
  envelope: EventEnvelope;
  route: Route;
}

const MAX_DLQ_VALUE = 64 * 1024;
/**
 * How long one transaction keeps taking a batch's events. A batch of a backlog can hold 15,000
 * events of slow work; in slices, each slice's offset is committed as it goes, so a rebalance or a
 * crash costs at most a slice and a batch never outlives its partition's ownership without progress.
 */
const SLICE_MS = 1000;
/**
 * How long a batch keeps going before it hands its partition back for the next fetch. kafkajs fetches
 * every partition of an engine together and fetches again only when all their batches are done, so
 * one slow 15,000-event batch (minutes on a loaded machine) would hold up the engine's other
 * partitions: in the storm test one sat still for nine minutes behind its neighbour.
 */
const BATCH_MS = 5000;

interface Slice {
  /** Where the next slice starts in the work list. */
  to: number;
  duplicates: number;
}

/**
 * Postgres failed itself, not on this event's data (data exception 22, constraint 23, syntax or
 * access 42, a program limit such as the stack depth of a deeply nested value 54): the batch is
 * aborted and redelivered. An error caused by the event's data dead-letters that event only, or
 * it would stop the partition for every tenant on it.
 */
export const isBatchFatal = (error: unknown) => {
  const state = sqlState(error);
  return state !== undefined && !/^(22|23|42|54)/.test(state);
};

class Stopping extends Error {
  constructor() {
    super('the consumer is stopping; the rest of the batch will be redelivered');
  }
}

/**
 * One Kafka batch (one partition) -> one Postgres transaction, or a few in a row when it takes longer
 * than SLICE_MS. Every state change, run record and job insert of a slice commits together with the
 * processed-event keys; the consumer commits an offset only after the slice before it committed. A
 * crash anywhere before a commit redelivers from the last committed slice and nothing of the rest was
 * kept; after the commit, the keys make the redelivery a no-op (an event that changed nothing has no
 * key, and decides the same way again).
 */
export function createBatchProcessor(deps: BatchProcessorDeps) {
  const { db, cache, evaluator, jobs, profiles, producer, metrics, logger } = deps;
  const knownTenants = new Map<string, { exists: boolean; until: number }>();

  /** Known from the cache: no promise per message for the common case (a cached tenant). */
  function cachedTenant(tenantId: string, now: number): boolean | undefined {
    const hit = knownTenants.get(tenantId);
    return hit && hit.until > now ? hit.exists : undefined;
  }

  async function tenantExists(tenantId: string): Promise<boolean> {
    const hit = cachedTenant(tenantId, Date.now());
    if (hit !== undefined) return hit;
    const { rows } = await db.execute<{ exists: boolean }>(
      sql`select tripwire_tenant_exists(${tenantId}::uuid) as exists`,
    );
    const exists = rows[0]?.exists === true;
    // Unknown tenants are re-checked sooner: one may be being created right now.
    knownTenants.set(tenantId, { exists, until: Date.now() + (exists ? 300_000 : 10_000) });
    return exists;
  }

  async function sendToDlq(dead: DeadLetter[]) {
    if (dead.length === 0) return;
    for (const d of dead) metrics.eventsDeadLettered.inc({ reason: d.reason.split(':')[0] ?? 'unknown' });
    await producer.send(
      deps.dlqTopic,
      dead.map((d) => ({
        key: d.message.key?.toString() ?? null,
        value: JSON.stringify({
          reason: d.reason,
          partition: d.message.partition,
          offset: d.message.offset,
          tenantId: d.tenantId,
          failedAt: new Date().toISOString(),
          value: d.message.value?.toString('utf8').slice(0, MAX_DLQ_VALUE) ?? null,
        }),
      })),
    );
  }

  /**
   * The work from `from` on in one transaction with no savepoints (two round trips fewer per event
   * that touches state), until SLICE_MS is up. If an event fails in a way that would dead-letter it,
   * nothing of this attempt is kept and the slice is done again one savepoint per event: undefined
   * tells the caller to do so.
   */
  async function together(work: Work[], from: number, control?: BatchControl): Promise<Slice | undefined> {
    try {
      return await db.transaction((tx) =>
        withinUnit(
          tx,
          jobs,
          async (unit) => {
            const until = performance.now() + SLICE_MS;
            let duplicates = 0;
            let i = from;
            for (; i < work.length && (i === from || performance.now() < until); i++) {
              if (control && !control.isRunning()) throw new Stopping();
              const { envelope, route } = work[i] as Work;
              if (!(await evaluator.evaluate(unit, envelope, route))) duplicates++;
            }
            return { to: i, duplicates };
          },
          { shard: work[from]?.message.partition ?? 0 },
        ),
      );
    } catch (error) {
      // Evaluating an event (or inserting the jobs it sent) failed the way one event can fail.
      if (!(error instanceof Stopping) && !isBatchFatal(error)) return undefined;
      throw error;
    }
  }

  /** A savepoint per event: one event that cannot be evaluated is dead-lettered alone. */
  async function oneByOne(work: Work[], from: number, dead: DeadLetter[], control?: BatchControl): Promise<Slice> {
    return db.transaction(async (tx) => {
      const until = performance.now() + SLICE_MS;
      let duplicates = 0;
      let i = from;
      for (; i < work.length && (i === from || performance.now() < until); i++) {
        if (control && !control.isRunning()) throw new Stopping();
        const { message, index, envelope, route } = work[i] as Work;
        try {
          const fresh = await tx.transaction((sp) =>
            withinUnit(sp, jobs, (unit) => evaluator.evaluate(unit, envelope, route), { shard: message.partition }),
          );
          if (!fresh) duplicates++;
        } catch (error) {
          if (isBatchFatal(error)) throw error;
          logger.warn(
            { err: error, tenantId: envelope.tenantId, messageId: envelope.messageId },
            'event could not be evaluated',
          );
          dead.push({
            message,
            index,
            reason: `evaluation failed: ${(withoutQueryValues(error) as Error).message}`,
            tenantId: envelope.tenantId,
          });
        }
      }
      return { to: i, duplicates };
    });
  }

  /**
   * Drops the events of users deleted and suppressed (DELETE /v1/users/:userId) since they were
   * produced: one query per batch, whatever its tenants and users.
   */
  async function withoutSuppressed(work: Work[]): Promise<Work[]> {
    const pairs = [
      ...new Map(work.map((w) => [`${w.envelope.tenantId}\u0000${w.envelope.userId}`, w.envelope])).values(),
    ];
    // Two array parameters, whatever the batch's size: cheap to build, and one plan for Postgres.
    const { rows } = await db.execute<{ tenant_id: string; user_id: string }>(
      sql`select tenant_id, user_id from tripwire_suppressed_users(${sql.param(pairs.map((e) => e.tenantId))}::uuid[], ${sql.param(pairs.map((e) => e.userId))}::text[])`,
    );
    if (rows.length === 0) return work;
    const gone = new Set(rows.map((r) => `${r.tenant_id}\u0000${r.user_id}`));
    const kept = work.filter((w) => !gone.has(`${w.envelope.tenantId}\u0000${w.envelope.userId}`));
    metrics.eventsSuppressed.inc(work.length - kept.length);
    return kept;
  }

  return async function processBatch(messages: RawMessage[], control?: BatchControl): Promise<'partial' | undefined> {
    const started = performance.now();
    metrics.eventsConsumed.inc(messages.length);
    let dead: DeadLetter[] = [];
    let work: Work[] = [];

    const now = Date.now();
    for (const [index, message] of messages.entries()) {
      const parsed = parseEnvelope(message.value?.toString('utf8'));
      if (!parsed.ok) {
        dead.push({ message, index, reason: `malformed: ${parsed.reason}` });
        continue;
      }
      const e = parsed.envelope;
      if (!(cachedTenant(e.tenantId, now) ?? (await tenantExists(e.tenantId)))) {
        dead.push({ message, index, reason: 'unknown tenant', tenantId: e.tenantId });
        continue;
      }
      if (e.type === 'identify') {
        profiles.invalidate(e.tenantId, e.userId);
        continue;
      }
      const route = cache.route(e.tenantId, e.event as string);
      if (route) work.push({ message, index, envelope: e, route });
    }

    if (work.length > 0) work = await withoutSuppressed(work);
    if (work.length > 0) metrics.eventsMatched.inc(work.length);
    for (let from = 0; from < work.length; ) {
      // A slice that lost a race for a tenant's daily action quota is done again (state/action-quota.ts).
      const deadBefore = dead.length;
      const at = from;
      const slice = await againOnQuotaRace(
        async () => (await together(work, at, control)) ?? (await oneByOne(work, at, dead, control)),
        () => {
          dead.length = deadBefore;
        },
      );
      metrics.eventsDuplicate.inc(slice.duplicates);
      from = slice.to;
      const next = work[from];
      if (next && control) {
        // Everything before the next event to evaluate is done: its dead letters go out, then the
        // consumer may commit past it (or stops here if the partition is being taken away).
        await sendToDlq(dead.filter((d) => d.index < next.index));
        dead = dead.filter((d) => d.index >= next.index);
        await control.processed((messages[next.index - 1] as RawMessage).offset);
        if (performance.now() - started > BATCH_MS) {
          // The rest comes again with the next fetch, after the engine's other partitions had a turn.
          metrics.evaluationSeconds.observe((performance.now() - started) / 1000);
          return 'partial';
        }
      }
    }
    // After the commit: if the DLQ write fails the batch is redelivered, and the committed part is skipped.
    await sendToDlq(dead);
    metrics.evaluationSeconds.observe((performance.now() - started) / 1000);
    return undefined;
  };
}
export type BatchProcessor = ReturnType<typeof createBatchProcessor>;
