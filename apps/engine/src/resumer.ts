import type { LoadedNode, LoadedPlan } from './compiled-plan.ts';
import type { Continuation, EventEvaluator } from './event-evaluator.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';
import type { ResumeJob } from './nodes/waits.ts';
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
  evaluator: EventEvaluator;
  metrics: Metrics;
  logger: Logger;
}) {
  const { cache, evaluator, metrics, logger } = deps;

  async function planOf(job: ResumeJob, run: RunRow) {
    const plan = await cache.plan(job.tenantId, run.workflowId, run.version);
    const loaded = plan?.nodes.get(job.nodeId);
    if (plan && loaded) return { plan, loaded };
    logger.warn({ tenantId: job.tenantId, runId: job.runId }, 'run resumed on a version that no longer exists');
    return undefined;
  }

  function continuation(unit: UnitOfWork, job: ResumeJob, run: RunRow, plan: LoadedPlan, loaded: LoadedNode) {
    metrics.runsResumed.inc();
    return {
      tx: unit.tx,
      jobs: unit.jobs,
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
      countsUntil: new Date(),
    } satisfies Continuation;
  }

  /** A job whose key this unit has claimed. */
  async function resumeClaimed(unit: UnitOfWork, job: ResumeJob) {
    // A timeout loses to the awaited event if the event took the waiter first.
    if (job.kind === 'timeout' && !(await takeWaiter(unit.tx, job.tenantId, job.runId, job.nodeId))) return;
    const run = await lockRun(unit.tx, job.tenantId, job.runId);
    const found = run && (await planOf(job, run));
    if (!run || !found) return;
    await evaluator.advance(continuation(unit, job, run, found.plan, found.loaded));
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
        : new Map();
    const steps: { runId: string; step: Step }[] = [];
    for (const job of together) {
      const run = runs.get(job.runId);
      const found = run && (await planOf(job, run));
      if (!run || !found) continue;
      const c = continuation(unit, job, run, found.plan, found.loaded);
      if (!found.plan.walksWithoutState) {
        await evaluator.advance(c);
        continue;
      }
      const { result, step } = await evaluator.walkOn(c);
      if (result.error) metrics.runsFailed.inc();
      steps.push({ runId: run.id, step });
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
