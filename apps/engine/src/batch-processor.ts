import type { Database } from '@tripwire/db';
import { sql } from 'drizzle-orm';
import { type EventEnvelope, parseEnvelope } from './envelope.ts';
import type { EventEvaluator } from './event-evaluator.ts';
import type { BatchControl, MessageProducer, RawMessage } from './kafka/kafka-client.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';
import { isDatabaseError } from './run-walker.ts';
import type { ProfileCache } from './state/profiles.ts';
import type { Route, WorkflowCache } from './workflow-cache.ts';

export interface BatchProcessorDeps {
  db: Database;
  cache: WorkflowCache;
  evaluator: EventEvaluator;
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

const MAX_DLQ_VALUE = 64 * 1024;

/**
 * One Kafka batch (one partition) -> one Postgres transaction. Every state change, run record and
 * job insert of the batch commits together with the processed-event keys; the consumer commits the
 * offset only after this resolves. A crash anywhere before the commit redelivers the batch and
 * nothing of it was kept; after the commit, the keys make the redelivery a no-op.
 */
export function createBatchProcessor(deps: BatchProcessorDeps) {
  const { db, cache, evaluator, profiles, producer, metrics, logger } = deps;
  const knownTenants = new Map<string, { exists: boolean; until: number }>();

  async function tenantExists(tenantId: string): Promise<boolean> {
    const hit = knownTenants.get(tenantId);
    if (hit && hit.until > Date.now()) return hit.exists;
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

  return async function processBatch(messages: RawMessage[], control?: BatchControl): Promise<void> {
    const started = performance.now();
    metrics.eventsConsumed.inc(messages.length);
    const dead: DeadLetter[] = [];
    const work: { message: RawMessage; envelope: EventEnvelope; route: Route }[] = [];

    for (const message of messages) {
      const parsed = parseEnvelope(message.value);
      if (!parsed.ok) {
        dead.push({ message, reason: `malformed: ${parsed.reason}` });
        continue;
      }
      const e = parsed.envelope;
      if (!(await tenantExists(e.tenantId))) {
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

    if (work.length > 0) {
      metrics.eventsMatched.inc(work.length);
      await db.transaction(async (tx) => {
        for (const { message, envelope, route } of work) {
          if (control && !control.isRunning()) throw new Error('partition revoked; the batch will be redelivered');
          try {
            // A savepoint per event: one event that cannot be evaluated is dead-lettered alone.
            const fresh = await tx.transaction((sp) => evaluator.evaluate(sp, envelope, route));
            if (!fresh) metrics.eventsDuplicate.inc();
          } catch (error) {
            if (isDatabaseError(error) && !/^(22|23|42)/.test(String((error as { code?: string }).code ?? '')))
              throw error;
            logger.warn(
              { err: error, tenantId: envelope.tenantId, messageId: envelope.messageId },
              'event could not be evaluated',
            );
            dead.push({
              message,
              reason: `evaluation failed: ${(error as Error).message}`,
              tenantId: envelope.tenantId,
            });
          }
        }
      });
    }
    // After the commit: if the DLQ write fails the batch is redelivered, and the committed part is skipped.
    await sendToDlq(dead);
    metrics.evaluationSeconds.observe((performance.now() - started) / 1000);
  };
}
export type BatchProcessor = ReturnType<typeof createBatchProcessor>;
