import type { Database } from '@tripwire/db';
import { RESUME_QUEUE, type ResumeJob } from '@tripwire/rules';
import type { Clock } from './clock.ts';
import type { JobQueues } from './jobs/job-queues.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';
import { createResumer } from './resumer.ts';
import type { RunAdvancer } from './run-advancer.ts';
import { againOnQuotaRace } from './state/action-quota.ts';
import { withinUnit } from './unit-of-work.ts';

const RESUME_SHARDS_FROM = 1000;

import type { WorkflowCache } from './workflow-cache.ts';

/**
 * Resumes runs parked at a wait: wait.delay when its time comes, wait.event when it times out.
 * A fetched batch is one transaction that claims each job's key first, so a job pg-boss delivers
 * again (after a crash between our commit and its completion) does nothing the second time.
 */
export function createResumeWorker(deps: {
  db: Database;
  jobs: JobQueues;
  cache: WorkflowCache;
  advancer: RunAdvancer;
  metrics: Metrics;
  logger: Logger;
  clock: Clock;
  /** Jobs fetched (and resumed in one transaction) at once. */
  batchSize: number;
  /** Batches in flight. */
  concurrency: number;
}) {
  const { db, jobs, cache, advancer, metrics, logger, clock } = deps;
  const resumer = createResumer({ cache, advancer, metrics, logger, clock });
  // Counter shards of their own (the event path uses its partitions'), one per batch in flight.
  let slot = 0;
  const nextShard = () => RESUME_SHARDS_FROM + (slot++ % 8);

  /** Each resume in its own transaction, so one that fails is retried alone by pg-boss. */
  async function resume(job: ResumeJob) {
    await againOnQuotaRace(() =>
      db.transaction((tx) => withinUnit(tx, jobs, (unit) => resumer.resumeOne(unit, job), { shard: nextShard() })),
    );
  }

  /**
   * A fetched batch in one transaction (see Resumer.resumeMany), with its webhook jobs inserted
   * together. If anything fails, nothing of it is kept and the batch is done again one transaction per
   * job, as resume() always would; each job's outcome is its own, so one that keeps failing is
   * retried alone and never holds back the others.
   */
  async function resumeBatch(batch: { id: string; data: ResumeJob }[]) {
    const completed = (id: string) => ({ id, status: 'completed' as const });
    try {
      await db.transaction((tx) =>
        withinUnit(
          tx,
          jobs,
          (unit) =>
            resumer.resumeMany(
              unit,
              batch.map((j) => j.data),
            ),
          { shard: nextShard() },
        ),
      );
      return batch.map((j) => completed(j.id));
    } catch (err) {
      logger.warn({ err, jobs: batch.length }, 'batched resume failed; resuming one by one');
    }
    const results = [];
    for (const { id, data: job } of batch) {
      try {
        await resume(job);
        results.push(completed(id));
      } catch (err) {
        logger.error({ err, tenantId: job.tenantId, runId: job.runId }, 'resume failed; pg-boss retries it');
        results.push({ id, status: 'failed' as const, output: { error: (err as Error).message } });
      }
    }
    return results;
  }

  return {
    async start() {
      // Not notify-driven: these jobs are due later, so a short poll is what bounds how late they fire.
      await jobs.boss.work<ResumeJob>(
        RESUME_QUEUE,
        {
          batchSize: deps.batchSize,
          // Several batches in flight, so a batch waiting on Postgres does not hold the others back.
          localConcurrency: deps.concurrency,
          pollingIntervalSeconds: 0.5,
          notifyPollingIntervalSeconds: 0.5,
          // A full batch means more are due: fetch again at once instead of after the poll interval.
          burstWhenBatchFull: true,
          includeMetadata: true,
          perJobResults: true,
        },
        (batch) => resumeBatch(batch),
      );
    },
    stop: () => jobs.boss.offWork(RESUME_QUEUE, { wait: true }).catch(() => {}),
    resume,
  };
}
