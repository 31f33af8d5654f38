import { type Database, deadLetters, withTenant } from '@tripwire/db';
import { type ActionJob, queueOf, replayOf } from '@tripwire/rules';
import { and, desc, eq, isNull, lt, sql } from 'drizzle-orm';
import { fromDrizzle, type PgBoss } from 'pg-boss';

interface StoredAction {
  config?: { headers?: Record<string, string> } & Record<string, unknown>;
  [key: string]: unknown;
}

/** Header values may be the receiver's credentials: lists show their names only. */
function redact(data: StoredAction): StoredAction {
  const headers = data.config?.headers;
  if (!headers) return data;
  return {
    ...data,
    config: { ...data.config, headers: Object.fromEntries(Object.keys(headers).map((k) => [k, '[redacted]'])) },
  };
}

const columns = {
  id: deadLetters.id,
  queue: deadLetters.queue,
  actionId: deadLetters.actionId,
  runId: deadLetters.runId,
  workflowId: deadLetters.workflowId,
  nodeId: deadLetters.nodeId,
  data: deadLetters.data,
  error: deadLetters.error,
  attempts: deadLetters.attempts,
  failedAt: deadLetters.failedAt,
  replayedAt: deadLetters.replayedAt,
  replayJobId: deadLetters.replayJobId,
};

export async function listDeadLetters(
  db: Database,
  { tenantId, limit, before }: { tenantId: string; limit: number; before?: Date },
) {
  const rows = await withTenant(db, tenantId, (tx) =>
    tx
      .select(columns)
      .from(deadLetters)
      .where(and(eq(deadLetters.tenantId, tenantId), before ? lt(deadLetters.failedAt, before) : undefined))
      .orderBy(desc(deadLetters.failedAt))
      .limit(limit),
  );
  return rows.map((r) => ({ ...r, data: redact(r.data as StoredAction) }));
}

export type ReplayResult =
  | { status: 'replayed'; jobId: string }
  | { status: 'not_found' }
  | { status: 'already_replayed'; jobId: string | null };

/**
 * Puts the dead action back on its queue with its original payload (and so the same webhook-id, so
 * a receiver that did get it after all can deduplicate), in the same transaction that marks it.
 */
export function replayDeadLetter(
  db: Database,
  boss: PgBoss,
  { tenantId, id }: { tenantId: string; id: string },
): Promise<ReplayResult> {
  return withTenant(db, tenantId, async (tx) => {
    const [row] = await tx
      .select({
        data: deadLetters.data,
        replayedAt: deadLetters.replayedAt,
        replayJobId: deadLetters.replayJobId,
      })
      .from(deadLetters)
      .where(and(eq(deadLetters.tenantId, tenantId), eq(deadLetters.id, id)))
      .for('update');
    if (!row) return { status: 'not_found' };
    if (row.replayedAt) return { status: 'already_replayed', jobId: row.replayJobId };
    // A replay is a new chain of attempts (a fresh retry budget for Retry-After reschedules too), on
    // the queue of the action's type@version today (dead letters from before queues were versioned
    // name the old queue).
    const job = replayOf(row.data as ActionJob, tenantId);
    const jobId = await boss.send(queueOf(job), job, { db: fromDrizzle(tx, sql) });
    await tx
      .update(deadLetters)
      .set({ replayedAt: new Date(), replayJobId: jobId })
      .where(and(eq(deadLetters.tenantId, tenantId), eq(deadLetters.id, id), isNull(deadLetters.replayedAt)));
    return { status: 'replayed', jobId: jobId ?? '' };
  });
}
