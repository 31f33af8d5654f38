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
  reason: string;
  tenantId?: string;
}

interface Work {
  message: RawMessage;
  envelope: EventEnvelope;
  route: Route;
}

const MAX_DLQ_VALUE = 64 * 1024;

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

class Revoked extends Error {
  constructor() {
    super('partition revoked; the batch will be redelivered');
  }
}

/**
 * One Kafka batch (one partition) -> one Postgres transaction. Every state change, run record and
 * job insert of the batch commits together with the processed-event keys; the consumer commits the
 * offset only after this resolves. A crash anywhere before the commit redelivers the batch and
 * nothing of it was kept; after the commit, the keys make the redelivery a no-op (an event that
 * changed nothing has no key, and decides the same way again).
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
   * A batch whose walks wait on look-ups (HTTP, up to their time-outs) can outlast the session:
   * tell the group this consumer is alive (kafkajs sends one only when the heartbeat interval has
   * passed). A heartbeat refused because the group is rebalancing gives the batch up, to be
   * redelivered to whoever owns the partition next.
   */
  async function keepAlive(control: BatchControl | undefined) {
    if (!control) return;
    try {
      await control.heartbeat();
    } catch {
      throw new Revoked();
    }
  }

  /**
   * The whole batch in one transaction with no savepoints (two round trips fewer per event that
   * touches state). If an event fails in a way that would dead-letter it, nothing of this attempt is
   * kept and the batch is done again one savepoint per event: undefined tells the caller to do so.
   */
  async function together(work: Work[], control?: BatchControl): Promise<number | undefined> {
    try {
      return await db.transaction((tx) =>
        withinUnit(
          tx,
          jobs,
          async (unit) => {
            let duplicates = 0;
            for (const { envelope, route } of work) {
              if (control && !control.isRunning()) throw new Revoked();
              if (!(await evaluator.evaluate(unit, envelope, route))) duplicates++;
              await keepAlive(control);
            }
            return duplicates;
          },
          { shard: work[0]?.message.partition ?? 0 },
        ),
      );
    } catch (error) {
      // Evaluating an event (or inserting the jobs it sent) failed the way one event can fail.
      if (!(error instanceof Revoked) && !isBatchFatal(error)) return undefined;
      throw error;
    }
  }

  /** A savepoint per event: one event that cannot be evaluated is dead-lettered alone. */
  async function oneByOne(work: Work[], dead: DeadLetter[], control?: BatchControl): Promise<number> {
    return db.transaction(async (tx) => {
      let duplicates = 0;
      for (const { message, envelope, route } of work) {
        if (control && !control.isRunning()) throw new Revoked();
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
            reason: `evaluation failed: ${(withoutQueryValues(error) as Error).message}`,
            tenantId: envelope.tenantId,
          });
        }
        await keepAlive(control);
      }
      return duplicates;
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

  return async function processBatch(messages: RawMessage[], control?: BatchControl): Promise<void> {
    const started = performance.now();
    metrics.eventsConsumed.inc(messages.length);
    const dead: DeadLetter[] = [];
    let work: Work[] = [];

    const now = Date.now();
    for (const message of messages) {
      const parsed = parseEnvelope(message.value?.toString('utf8'));
      if (!parsed.ok) {
        dead.push({ message, reason: `malformed: ${parsed.reason}` });
        continue;
      }
      const e = parsed.envelope;
      if (!(cachedTenant(e.tenantId, now) ?? (await tenantExists(e.tenantId)))) {
        dead.push({ message, reason: 'unknown tenant', tenantId: e.tenantId });
        continue;
      }
      if (e.type === 'identify') {
        profiles.invalidate(e.tenantId, e.userId);
        continue;
      }
      const route = cache.route(e.tenantId, e.event as string);
      if (route) work.push({ message, envelope: e, route });
    }

    if (work.length > 0) work = await withoutSuppressed(work);
    if (work.length > 0) {
      metrics.eventsMatched.inc(work.length);
      // A batch that lost a race for a tenant's daily action quota is done again (state/action-quota.ts).
      const deadBefore = dead.length;
      const duplicates = await againOnQuotaRace(
        async () => (await together(work, control)) ?? (await oneByOne(work, dead, control)),
        () => {
          dead.length = deadBefore;
        },
      );
      metrics.eventsDuplicate.inc(duplicates);
    }
    // After the commit: if the DLQ write fails the batch is redelivered, and the committed part is skipped.
    await sendToDlq(dead);
    metrics.evaluationSeconds.observe((performance.now() - started) / 1000);
  };
}
export type BatchProcessor = ReturnType<typeof createBatchProcessor>;
