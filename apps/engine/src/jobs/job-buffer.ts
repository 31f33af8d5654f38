import { randomUUID } from 'node:crypto';
import type { TenantTx } from '@tripwire/db';
import { sql } from 'drizzle-orm';
import { fromDrizzle, type PgBoss } from 'pg-boss';
import type { SendOptions } from './job-queues.ts';

/** What node handlers enqueue through: the same calls as JobQueues, bound to one transaction. */
export interface JobSink {
  send(tx: TenantTx, queue: string, data: object, opts?: SendOptions): Promise<string | null>;
  cancel(tx: TenantTx, queue: string, id: string): Promise<unknown>;
}

/** A JobSink that can take back what was sent since a mark (before it was flushed). */
export interface BufferedJobs extends JobSink {
  mark(): number;
  discard(mark: number): void;
}

interface Pending {
  queue: string;
  id: string;
  data: object;
  options: Omit<SendOptions, 'id'>;
}

/**
 * Collects the jobs a unit of work (a batch transaction, or one event's savepoint) sends and inserts
 * them with one statement per queue at `flush`, in the same transaction: a round trip per batch
 * instead of one per action. Ids are made here, so `send` can still answer with the job's id.
 */
export function createJobBuffer(boss: PgBoss, tx: TenantTx, onEnqueued: (queue: string, n: number) => void) {
  let pending: Pending[] = [];

  async function flush() {
    if (pending.length === 0) return;
    const byQueue = Map.groupBy(pending, (p) => p.queue);
    pending = [];
    for (const [queue, jobs] of byQueue) {
      await boss.insert(
        queue,
        jobs.map(({ id, data, options }) => ({ ...options, id, data })),
        { db: fromDrizzle(tx, sql) },
      );
      onEnqueued(queue, jobs.length);
    }
  }

  const sink: BufferedJobs = {
    async send(_tx, queue, data, opts = {}) {
      const { id = randomUUID(), ...options } = opts;
      pending.push({ queue, id, data, options });
      return id;
    },
    // Only between two flushes: a cancel flushes, so marks do not span one.
    mark: () => pending.length,
    discard(mark) {
      pending.length = mark;
    },
    async cancel(_tx, queue, id) {
      // The job may still be in the buffer: insert first, so it is there to cancel.
      await flush();
      return boss.cancel(queue, id, { db: fromDrizzle(tx, sql) });
    },
  };
  return { sink, flush };
}
