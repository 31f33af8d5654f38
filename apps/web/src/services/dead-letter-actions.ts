import { deadLetters, type TenantTx } from '@tripwire/db';
import { type ActionJob, endpointGroup, queueOf, replayOf } from '@tripwire/rules';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { fromDrizzle, type PgBoss } from 'pg-boss';
import { type Actor, recordAudit } from './audit-log.ts';

export type SkipReason = 'not_found' | 'already_replayed' | 'discarded';

export interface ActionOutcome {
  done: { id: string; jobId?: string; workflowId?: string | null }[];
  skipped: { id: string; reason: SkipReason; jobId?: string | null }[];
}

/** At most this many letters per replay or discard, so one request's work stays bounded. */
export const MAX_SELECTION = 100;

async function lockLetters(tx: TenantTx, tenantId: string, ids: string[]) {
  return tx
    .select({
      id: deadLetters.id,
      queue: deadLetters.queue,
      workflowId: deadLetters.workflowId,
      data: deadLetters.data,
      replayedAt: deadLetters.replayedAt,
      replayJobId: deadLetters.replayJobId,
      discardedAt: deadLetters.discardedAt,
    })
    .from(deadLetters)
    .where(and(eq(deadLetters.tenantId, tenantId), inArray(deadLetters.id, ids)))
    .orderBy(deadLetters.id)
    .for('update');
}

type Locked = Awaited<ReturnType<typeof lockLetters>>[number];

/** Why a letter cannot be acted on, or null when it is still open. */
function skipOf(id: string, row: Locked | undefined): ActionOutcome['skipped'][number] | null {
  if (!row) return { id, reason: 'not_found' };
  if (row.replayedAt) return { id, reason: 'already_replayed', jobId: row.replayJobId };
  if (row.discardedAt) return { id, reason: 'discarded' };
  return null;
}

/**
 * Puts dead actions back on their queues with their original payloads (and so the same webhook-id,
 * so a receiver that did get one after all can deduplicate), in the caller's transaction, which
 * also marks them and records who replayed them. A replay is a new chain of attempts: a fresh
 * retry budget for Retry-After reschedules too.
 */
export async function replayDeadLetters(
  tx: TenantTx,
  boss: PgBoss,
  { tenantId, ids, actor }: { tenantId: string; ids: string[]; actor: Actor },
): Promise<ActionOutcome> {
  const unique = [...new Set(ids)].slice(0, MAX_SELECTION);
  const rows = new Map((await lockLetters(tx, tenantId, unique)).map((r) => [r.id, r]));
  const outcome: ActionOutcome = { done: [], skipped: [] };
  for (const id of unique) {
    const row = rows.get(id);
    const skip = skipOf(id, row);
    if (skip || !row) {
      if (skip) outcome.skipped.push(skip);
      continue;
    }
    // On the queue of the action's type@version (letters from before queues were versioned name the
    // old one, which now only drains): the letter then names the queue its replay is on.
    const job = replayOf(row.data as ActionJob, tenantId);
    const queue = queueOf(job);
    // In the endpoint's group, as the engine sends it, so a replay keeps to the endpoint's limits.
    const group = endpointGroup(job);
    const jobId = (await boss.send(queue, job, { db: fromDrizzle(tx, sql), ...(group ? { group } : {}) })) ?? '';
    await tx
      .update(deadLetters)
      .set({ replayedAt: new Date(), replayJobId: jobId, queue })
      .where(and(eq(deadLetters.tenantId, tenantId), eq(deadLetters.id, id)));
    outcome.done.push({ id, jobId, workflowId: row.workflowId });
  }
  await recordAudit(
    tx,
    tenantId,
    actor,
    outcome.done.map((d) => ({
      action: 'dead_letter.replay',
      subjectType: 'dead_letter',
      subjectId: d.id,
      details: { jobId: d.jobId, workflowId: d.workflowId },
    })),
  );
  return outcome;
}

/** Sets letters aside for good (they can no longer be replayed) and records who did. */
export async function discardDeadLetters(
  tx: TenantTx,
  { tenantId, ids, actor, note }: { tenantId: string; ids: string[]; actor: Actor; note?: string },
): Promise<ActionOutcome> {
  const unique = [...new Set(ids)].slice(0, MAX_SELECTION);
  const rows = new Map((await lockLetters(tx, tenantId, unique)).map((r) => [r.id, r]));
  const outcome: ActionOutcome = { done: [], skipped: [] };
  for (const id of unique) {
    const skip = skipOf(id, rows.get(id));
    if (skip) outcome.skipped.push(skip);
    else outcome.done.push({ id, workflowId: rows.get(id)?.workflowId ?? null });
  }
  const done = outcome.done.map((d) => d.id);
  if (done.length > 0) {
    await tx
      .update(deadLetters)
      .set({ discardedAt: new Date() })
      .where(and(eq(deadLetters.tenantId, tenantId), inArray(deadLetters.id, done)));
  }
  await recordAudit(
    tx,
    tenantId,
    actor,
    outcome.done.map((d) => ({
      action: 'dead_letter.discard',
      subjectType: 'dead_letter',
      subjectId: d.id,
      details: { workflowId: d.workflowId, ...(note ? { note } : {}) },
    })),
  );
  return outcome;
}
