import { randomUUID } from 'node:crypto';
import {
  accepts,
  type EventData,
  type EventEnvelope,
  eventData,
  type LoadedNode,
  PlanLoadError,
  RESUME_QUEUE,
  receivedData,
  resumeEntry,
  startData,
  startEntry,
  targets,
  type WalkResult,
} from '@tripwire/rules';
import type { Clock } from './clock.ts';
import { createDecider, type Decision } from './event-decision.ts';
import type { Metrics } from './metrics.ts';
import type { Continuation, RunAdvancer } from './run-advancer.ts';
import type { WalkedRun } from './state/claimed-runs.ts';
import { addMark } from './state/marks.ts';
import type { ProfileCache } from './state/profiles.ts';
import { insertRun, insertWalkedRun, lockRun, type NewRun, recordStep } from './state/runs.ts';
import { takeWaiter, waitersFor } from './state/waiters.ts';
import type { UnitOfWork } from './unit-of-work.ts';
import type { Interest, Route, WorkflowCache } from './workflow-cache.ts';

export interface EvaluatorDeps {
  cache: WorkflowCache;
  profiles: ProfileCache;
  metrics: Metrics;
  advancer: RunAdvancer;
  clock: Clock;
}

/**
 * The event path (inside the batch's transaction): record the event for counters, resume runs
 * waiting for it, start runs it triggers. Only the nodes routed to its name are looked at; the
 * walking itself is the run advancer's.
 */
export function createEventEvaluator({ cache, profiles, metrics, advancer, clock }: EvaluatorDeps) {
  const onRuleError = (node: LoadedNode, _error: unknown) => metrics.ruleErrors.inc({ node: node.def.type });
  const decide = createDecider(profiles, onRuleError);

  async function resumeWaiters(unit: UnitOfWork, e: EventEnvelope, event: EventData) {
    const { tx } = unit;
    for (const w of await waitersFor(tx, e.tenantId, e.userId, event.name, new Date(clock()))) {
      const run = await lockRun(tx, e.tenantId, w.runId);
      if (!run) continue;
      const at = { nodeId: w.nodeId, type: 'wait', at: new Date(clock()).toISOString() };
      if (run.status === 'failed') {
        // A failed run waits for nothing more; its waiter just goes.
        await takeWaiter(tx, e.tenantId, w.runId, w.nodeId);
        continue;
      }
      let plan: Awaited<ReturnType<WorkflowCache['plan']>>;
      try {
        plan = await cache.plan(e.tenantId, run.workflowId, run.version);
      } catch (error) {
        if (!(error instanceof PlanLoadError)) throw error;
        if (await takeWaiter(tx, e.tenantId, w.runId, w.nodeId))
          await advancer.fail(unit, e.tenantId, run.id, at, `This version can no longer run: ${error.message}`);
        continue;
      }
      const node = plan?.nodes.get(w.nodeId);
      if (!plan || !node) continue;
      const data = receivedData(
        event,
        run.triggerEvent,
        await advancer.user(unit, plan, e.tenantId, e.userId),
        run.lookups,
      );
      if (!accepts(node.listens.wait, data, (error) => onRuleError(node, error))) continue;
      if (!(await takeWaiter(tx, e.tenantId, w.runId, w.nodeId))) continue;
      if (w.timeoutJobId) await unit.jobs.cancel(tx, RESUME_QUEUE, w.timeoutJobId);
      metrics.runsResumed.inc();
      const output = w.resumeOutput ?? 'received';
      await advancer.advance({
        unit,
        tenantId: e.tenantId,
        runId: run.id,
        userId: e.userId,
        plan,
        entry: resumeEntry(node, output, clock(), { messageId: e.messageId }),
        start: targets(node, output),
        data,
        countsUntil: Date.parse(event.timestamp),
        pendingBefore: run.pending,
        resumed: true,
        cause: `event:${e.messageId}`,
      });
    }
  }

  async function newRun(unit: UnitOfWork, { plan, nodeId }: Interest, e: EventEnvelope, event: EventData) {
    const trigger = plan.nodes.get(nodeId) as LoadedNode;
    const run: NewRun = {
      tenantId: e.tenantId,
      id: randomUUID(),
      workflowId: plan.workflowId,
      version: plan.version,
      userId: e.userId,
      triggerEvent: event,
    };
    const data = startData(event, await advancer.user(unit, plan, e.tenantId, e.userId));
    const c: Continuation = {
      unit,
      tenantId: e.tenantId,
      runId: run.id,
      userId: e.userId,
      plan,
      entry: startEntry(trigger, event, data, clock()),
      start: targets(trigger, 'next'),
      data,
      countsUntil: Date.parse(event.timestamp),
      pendingBefore: 0,
      resumed: false,
    };
    return { run, c };
  }

  function countStart(result: WalkResult, pending: number) {
    metrics.runsStarted.inc();
    if (result.error) metrics.runsFailed.inc();
    else if (pending === 0) metrics.runsCompleted.inc();
  }

  /** After the event was claimed: a run whose walk may touch state, recorded as it goes. */
  async function startRun(unit: UnitOfWork, interest: Interest, e: EventEnvelope, event: EventData) {
    const { run, c } = await newRun(unit, interest, e, event);
    if (interest.plan.registersWaiters) {
      // A waiter references its run: the row has to exist before the walk registers one.
      await insertRun(unit.tx, run);
      const { result, step } = await advancer.walkOn(c);
      await recordStep(unit.tx, run.tenantId, run.id, step);
      countStart(result, step.settled.pending);
    } else {
      const { result, step } = await advancer.walkOn(c);
      await insertWalkedRun(unit.tx, run, step);
      countStart(result, step.settled.pending);
    }
  }

  /**
   * Runs whose walk writes no state (it may read the profile): walked first, then claimed and
   * inserted in one statement. A redelivered event inserts nothing, and the jobs its walks sent are
   * taken back.
   */
  async function startRunsBeforeClaim(unit: UnitOfWork, d: Decision, e: EventEnvelope, event: EventData) {
    const mark = unit.mark();
    const walked: (WalkedRun & { result: WalkResult })[] = [];
    for (const interest of d.triggers) {
      const { run, c } = await newRun(unit, interest, e, event);
      walked.push({ run, ...(await advancer.walkOn(c)) });
    }
    if (!(await unit.claimWithRuns(e.tenantId, e.messageId, e.userId, walked))) {
      unit.discard(mark);
      return false;
    }
    for (const { result, step } of walked) countStart(result, step.settled.pending);
    return true;
  }

  return {
    /** Returns false when the event was already processed (a redelivery): nothing was done. */
    async evaluate(unit: UnitOfWork, e: EventEnvelope, route: Route): Promise<boolean> {
      const event = eventData(e);
      const d = await decide(unit, e, route, event);
      // An event that changes nothing needs no processed-event key: a redelivery decides the same
      // way and changes nothing again. A decision that read a profile is keyed, as traits change.
      if (!route.waits && d.counts.length === 0 && d.triggers.length === 0 && !d.readProfile) return true;
      const walkFirst = d.triggers.length > 0 && d.triggers.every((t) => t.plan.walksWithoutState);
      if (walkFirst && !route.waits && d.counts.length === 0) return startRunsBeforeClaim(unit, d, e, event);
      if (!(await unit.claim(e.tenantId, e.messageId))) return false;
      for (const { plan, nodeId } of d.counts) {
        const key = { tenantId: e.tenantId, userId: e.userId, workflowId: plan.workflowId, nodeId };
        await addMark(unit.tx, key, new Date(e.timestamp), e.messageId);
      }
      if (route.waits) await resumeWaiters(unit, e, event);
      for (const interest of d.triggers) await startRun(unit, interest, e, event);
      return true;
    },
  };
}

export type EventEvaluator = ReturnType<typeof createEventEvaluator>;
