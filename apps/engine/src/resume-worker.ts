import { actAsTenant, type Database } from '@tripwire/db';
import type { EventEvaluator } from './event-evaluator.ts';
import { type JobQueues, RESUME_QUEUE } from './jobs/job-queues.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';
import type { ResumeJob } from './nodes/waits.ts';
import { claim } from './state/processed.ts';
import { lockRun } from './state/runs.ts';
import { takeWaiter } from './state/waiters.ts';
import type { WorkflowCache } from './workflow-cache.ts';

/**
 * Resumes runs parked at a wait: wait.delay when its time comes, wait.event when it times out.
 * Each resume is one transaction that first claims the job's key, so a job pg-boss delivers again
 * (after a crash between our commit and its completion) does nothing the second time.
 */
export function createResumeWorker(deps: {
  db: Database;
  jobs: JobQueues;
  cache: WorkflowCache;
  evaluator: EventEvaluator;
  metrics: Metrics;
  logger: Logger;
}) {
  const { db, jobs, cache, evaluator, metrics, logger } = deps;

  async function resume(job: ResumeJob) {
    await db.transaction(async (tx) => {
      await actAsTenant(tx, job.tenantId);
      if (!(await claim(tx, job.tenantId, job.key))) return;
      // A timeout loses to the awaited event if the event took the waiter first.
      if (job.kind === 'timeout' && !(await takeWaiter(tx, job.tenantId, job.runId, job.nodeId))) return;
      const run = await lockRun(tx, job.tenantId, job.runId);
      if (!run) return;
      const plan = await cache.plan(job.tenantId, run.workflowId, run.version);
      const loaded = plan?.nodes.get(job.nodeId);
      if (!plan || !loaded) {
        logger.warn({ tenantId: job.tenantId, runId: job.runId }, 'run resumed on a version that no longer exists');
        return;
      }
      metrics.runsResumed.inc();
      await evaluator.advance({
        tx,
        tenantId: job.tenantId,
        runId: run.id,
        plan,
        userId: run.userId,
        entry: {
          nodeId: job.nodeId,
          type: loaded.node.type,
          at: new Date().toISOString(),
          output: job.output,
          detail: { resumedBy: job.kind },
        },
        start: loaded.node.next[job.output] ?? [],
        event: run.triggerEvent,
        trigger: run.triggerEvent,
        resumed: true,
      });
    });
  }

  return {
    async start() {
      // Not notify-driven: these jobs are due later, so a short poll is what bounds how late they fire.
      await jobs.boss.work<ResumeJob>(
        RESUME_QUEUE,
        { batchSize: 50, localConcurrency: 2, pollingIntervalSeconds: 0.5, notifyPollingIntervalSeconds: 0.5 },
        async (batch) => {
          for (const job of batch) {
            try {
              await resume(job.data);
            } catch (err) {
              logger.error(
                { err, tenantId: job.data.tenantId, runId: job.data.runId },
                'resume failed; pg-boss retries it',
              );
              throw err;
            }
          }
        },
      );
    },
    stop: () => jobs.boss.offWork(RESUME_QUEUE, { wait: true }).catch(() => {}),
    resume,
  };
}
