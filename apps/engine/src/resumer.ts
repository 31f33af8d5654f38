import { PlanLoadError, type ResumeJob, resumedData, resumeEntry, targets } from '@tripwire/rules';
import type { Clock } from './clock.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';
import type { Continuation, RunAdvancer } from './run-advancer.ts';
import { lockRuns, recordSteps } from './state/run-batches.ts';
import { lockRun, type RunRow, type Step } from './state/runs.ts';
import { takeWaiter } from './state/waiters.ts';
import type { UnitOfWork } from './unit-of-work.ts';
import type { WorkflowCache } from './workflow-cache.ts';

/**
 * Resuming runs parked at a wait, inside a unit of work: one job at a time, or a whole fetched batch
 * with a few statements per tenant (keys claimed together, runs locked together, and the steps of
 * walks that touch no state recorded together).
 */
export function createResumer(deps: {
  cache: WorkflowCache;
  advancer: RunAdvancer;
  metrics: Metrics;
  logger: Logger;
  clock: Clock;
}) {
  const { cache, advancer, metrics, logger, clock } = deps;

  /** The continuation of a resumed run, or undefined when it cannot go on (and was ended, if need be). */
  async function continuation(unit: UnitOfWork, job: ResumeJob, run: RunRow): Promise<Continuation | undefined> {
    // A failed run waits for nothing more.
    if (run.status === 'failed') return undefined;
    const now = clock();
    let plan: Awaited<ReturnType<WorkflowCache['plan']>>;
    try {
      plan = await cache.plan(job.tenantId, run.workflowId, run.version);
    } catch (error) {
      if (!(error instanceof PlanLoadError)) throw error;
      const at = { nodeId: job.nodeId, type: 'wait', at: new Date(now).toISOString() };
      await advancer.fail(unit, job.tenantId, run.id, at, `This version can no longer run: ${error.message}`);
      return undefined;
    }
    const node = plan?.nodes.get(job.nodeId);
    if (!plan || !node) {
      logger.warn({ tenantId: job.tenantId, runId: job.runId }, 'run resumed on a version that no longer exists');
      return undefined;
    }
    metrics.runsResumed.inc();
    return {
      unit,
      tenantId: job.tenantId,
      runId: run.id,
      userId: run.userId,
      plan,
      entry: resumeEntry(node, job.output, now, { resumedBy: job.kind }),
      start: targets(node, job.output),
      data: resumedData(run.triggerEvent, await advancer.user(unit, plan, job.tenantId, run.userId), run.lookups),
      // "3 logins within a day" after a day's wait counts the day of the wait.
      countsUntil: now,
      pendingBefore: run.pending,
      resumed: true,
      cause: job.key,
    };
  }

  /** A job whose key this unit has claimed. */
  async function resumeClaimed(unit: UnitOfWork, job: ResumeJob) {
    // A timeout loses to the awaited event if the event took the waiter first.
    if (job.kind === 'timeout' && !(await takeWaiter(unit.tx, job.tenantId, job.runId, job.nodeId))) return;
    const run = await lockRun(unit.tx, job.tenantId, job.runId);
    const c = run && (await continuation(unit, job, run));
    if (c) await advancer.advance(c);
  }

  async function resumeTenant(unit: UnitOfWork, tenantId: string, jobs: ResumeJob[]) {
    const fresh = await unit.claimAll(
      tenantId,
      jobs.map((j) => j.key),
    );
    const claimed = jobs.filter((j) => fresh.has(j.key));
    const perRun = Map.groupBy(claimed, (j) => j.runId);
    // Delays of runs with no other job in the batch go together; the rest one by one, in batch order.
    const together = claimed.filter((j) => j.kind === 'delay' && perRun.get(j.runId)?.length === 1);
    const inTogether = new Set(together);
    const oneByOne = claimed.filter((j) => !inTogether.has(j));
    const runs =
      together.length > 0
        ? await lockRuns(
            unit.tx,
            tenantId,
            together.map((j) => j.runId),
          )
        : new Map<string, RunRow>();
    const steps: { runId: string; step: Step }[] = [];
    for (const job of together) {
      const run = runs.get(job.runId);
      const c = run && (await continuation(unit, job, run));
      if (!c) continue;
      if (!c.plan.walksWithoutState) {
        await advancer.advance(c);
        continue;
      }
      const { result, step } = await advancer.walkOn(c);
      if (result.error) metrics.runsFailed.inc();
      steps.push({ runId: c.runId, step });
    }
    await recordSteps(unit.tx, tenantId, steps);
    for (const job of oneByOne) await resumeClaimed(unit, job);
  }

  return {
    /** One job: claims its key first, so a job pg-boss delivers again resumes nothing twice. */
    async resumeOne(unit: UnitOfWork, job: ResumeJob) {
      if (await unit.claim(job.tenantId, job.key)) await resumeClaimed(unit, job);
    },
    async resumeMany(unit: UnitOfWork, jobs: ResumeJob[]) {
      for (const [tenantId, ofTenant] of Map.groupBy(jobs, (j) => j.tenantId))
        await resumeTenant(unit, tenantId, ofTenant);
    },
  };
}

export type Resumer = ReturnType<typeof createResumer>;
