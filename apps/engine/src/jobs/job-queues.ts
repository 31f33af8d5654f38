import { schemaExists, type TenantTx } from '@tripwire/db';
import { DEAD_LETTER_QUEUE, RESUME_QUEUE } from '@tripwire/rules';
import { sql } from 'drizzle-orm';
import { fromDrizzle, PgBoss } from 'pg-boss';
import type { Logger } from '../logger.ts';
import { createJobBuffer } from './job-buffer.ts';

export interface JobQueueOptions {
  connectionString: string;
  schema: string;
  logger: Logger;
  /** One per action type@version (see actionQueue in @tripwire/rules). */
  actionQueues: readonly string[];
  retryLimit: number;
  retryDelaySeconds: number;
  retryDelayMaxSeconds: number;
  /** An action job still active after this long (its worker died) is failed and retried. */
  actionExpireSeconds: number;
  /** A resume job still active after this long (its worker died) is failed and retried. */
  resumeExpireSeconds: number;
  /** How often pg-boss looks for such jobs. */
  superviseSeconds: number;
  /** Told how many jobs went into a queue (for the metrics). */
  onEnqueued?: (queue: string, n: number) => void;
}

/**
 * What a job is sent with. Options beyond these pass through to pg-boss untouched (a `priority`, for
 * one): the buffer and the dispatcher never strip them.
 */
export interface SendOptions {
  startAfter?: Date;
  id?: string;
  /** pg-boss orders fetches by priority (higher first), then by age. */
  priority?: number;
  /**
   * The job's concurrency group: an action's endpoint (see jobs/endpoints.ts). pg-boss counts the
   * active jobs of each group in the database, so the limit holds across every engine.
   */
  group?: { id: string; tier?: string };
}

/**
 * pg-boss, set up for the engine: one queue per action type with retries, exponential backoff and
 * a dead-letter queue, plus the resume queue. `send` enqueues inside the caller's transaction, so
 * a job exists exactly when the state it belongs to was committed.
 */
export async function createJobQueues(options: JobQueueOptions) {
  const { logger } = options;
  const boss = new PgBoss({
    connectionString: options.connectionString,
    schema: options.schema,
    application_name: 'tripwire-engine-jobs',
    // Every worker's fetch and complete goes through this pool (actions, resumes, dead letters).
    max: 10,
    // Workers wake on NOTIFY when a job is created instead of waiting for their next poll.
    useListenNotify: true,
    superviseIntervalSeconds: options.superviseSeconds,
    createSchema: !(await schemaExists(options.connectionString, options.schema)),
  });
  boss.on('error', (err) => logger.error({ err }, 'pg-boss error'));
  await boss.start();
  await boss.createQueue(DEAD_LETTER_QUEUE, { retryLimit: 10, retryDelay: 5, retryBackoff: true });
  // Without an expiry of its own a resume a SIGKILLed engine had claimed would sit `active` for
  // pg-boss's default 15 minutes, its run stuck `waiting` long past its due time (the storm test).
  const resume = {
    retryLimit: 10,
    retryDelay: 1,
    retryBackoff: true,
    retryDelayMax: 300,
    expireInSeconds: options.resumeExpireSeconds,
    notify: false,
  };
  await boss.createQueue(RESUME_QUEUE, resume);
  await boss.updateQueue(RESUME_QUEUE, resume);
  for (const type of options.actionQueues) {
    const queue = {
      retryLimit: options.retryLimit,
      retryDelay: options.retryDelaySeconds,
      retryBackoff: true,
      retryDelayMax: options.retryDelayMaxSeconds,
      expireInSeconds: options.actionExpireSeconds,
      deadLetter: DEAD_LETTER_QUEUE,
      notify: true,
    };
    await boss.createQueue(type, queue);
    // createQueue keeps an existing queue's settings; make them follow the configuration.
    await boss.updateQueue(type, queue);
  }

  return {
    boss,
    send(tx: TenantTx, queue: string, data: object, opts: SendOptions = {}): Promise<string | null> {
      return boss.send(queue, data, { ...opts, db: fromDrizzle(tx, sql) });
    },
    cancel(tx: TenantTx, queue: string, id: string) {
      return boss.cancel(queue, id, { db: fromDrizzle(tx, sql) });
    },
    /** Whether a queue exists (queues named before they were versioned are drained, not created). */
    exists: async (name: string) => (await boss.getQueue(name)) !== null,
    /** Sends of one unit of work on `tx`, inserted together at `flush` (see unit-of-work.ts). */
    buffer: (tx: TenantTx) => createJobBuffer(boss, tx, options.onEnqueued ?? (() => {})),
    stop: () => boss.stop({ graceful: true, timeout: 20_000 }),
  };
}
export type JobQueues = Awaited<ReturnType<typeof createJobQueues>>;
