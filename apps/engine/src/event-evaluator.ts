import { randomUUID } from 'node:crypto';
import type { TenantTx } from '@tripwire/db';
import { sql } from 'drizzle-orm';
import type { LoadedNode, LoadedPlan } from './compiled-plan.ts';
import { type EventData, type EventEnvelope, eventData } from './envelope.ts';
import { createDecider, type Decision, ruleMatches } from './event-decision.ts';
import type { JobSink } from './jobs/job-buffer.ts';
import type { Metrics } from './metrics.ts';
import type { RuleData, StepContext } from './nodes/node-handler.ts';
import { type WalkResult, walk } from './run-walker.ts';
import type { WalkedRun } from './state/claimed-runs.ts';
import { addMark } from './state/marks.ts';
import type { ProfileCache } from './state/profiles.ts';
import {
  insertRun,
  insertWalkedRun,
  lockRun,
  type NewRun,
  type PathEntry,
  recordStep,
  type Step,
} from './state/runs.ts';
import { takeWaiter, waitersFor } from './state/waiters.ts';
import type { UnitOfWork } from './unit-of-work.ts';
import type { Interest, Route, WorkflowCache } from './workflow-cache.ts';

export interface EvaluatorDeps {
  cache: WorkflowCache;
  profiles: ProfileCache;
  metrics: Metrics;
  now?: () => Date;
}

export interface Continuation {
  tx: TenantTx;
  /** Where this unit of work's jobs go. */
  jobs: JobSink;
  tenantId: string;
  runId: string;
  plan: LoadedPlan;
  userId: string;
  /** The entry for the node being left (the wait that resumed), recorded before walking on. */
  entry: PathEntry;
  start: string[];
  event: EventData;
  trigger: EventData;
  resumed: boolean;
  /**
   * Where condition.count windows end when not at the current event: a delay or timeout resumed
   * the run, so "3 logins within a day" after a one-day wait counts the day of the wait.
   */
  countsUntil?: Date;
  /** The user's traits when the caller already has them (else loaded if the plan reads `user.*`). */
  user?: Record<string, unknown>;
}

/**
 * Per event (inside the batch's transaction): record it for counters, resume runs waiting for
 * it, start runs it triggers. Only the nodes routed to this event name are looked at.
 */
export function createEventEvaluator({ cache, profiles, metrics, now = () => new Date() }: EvaluatorDeps) {
  const onRuleError = (loaded: LoadedNode, _error: unknown) => metrics.ruleErrors.inc({ node: loaded.node.type });
  const decide = createDecider(profiles, onRuleError);

  async function ruleData(
    tx: TenantTx,
    plan: LoadedPlan,
    tenantId: string,
    userId: string,
    event: EventData,
    trigger: EventData,
  ) {
    const user = plan.readsUser ? await profiles.get(tx, tenantId, userId) : {};
    return { event, trigger, user } satisfies RuleData;
  }

  /** Walks a run on from `start`; what it did is the step to record. */
  async function walkOn(c: Continuation): Promise<{ result: WalkResult; step: Step }> {
    const data = c.user
      ? ({ event: c.event, trigger: c.trigger, user: c.user } satisfies RuleData)
      : await ruleData(c.tx, c.plan, c.tenantId, c.userId, c.event, c.trigger);
    const ctx: StepContext = {
      tx: c.tx,
      tenantId: c.tenantId,
      userId: c.userId,
      plan: c.plan,
      runId: c.runId,
      data,
      now: now(),
      jobs: c.jobs,
      ...(c.countsUntil ? { countsUntil: c.countsUntil } : {}),
      awaiting: async (eventName) => {
        // The active version's route already looks for its own waits.
        if (cache.isActive(c.plan)) return;
        cache.noteAwaited(c.tenantId, eventName);
        // Other engines (the one consuming this user's partition) reload the workflow when this
        // commits, and with it the names its pending waiters await.
        const payload = JSON.stringify({ tenantId: c.tenantId, workflowId: c.plan.workflowId });
        await c.tx.execute(sql`select pg_notify('tripwire_workflows', ${payload})`);
      },
    };
    const result = await walk(ctx, c.start);
    const step: Step = {
      path: [c.entry, ...result.path],
      pendingDelta: result.waits - (c.resumed ? 1 : 0),
      currentNode: result.lastNode ?? c.entry.nodeId,
      ...(result.error !== undefined ? { error: result.error } : {}),
    };
    return { result, step };
  }

  /** Walks a run on from `start` and records the step; shared by new runs, events and resume jobs. */
  async function advance(c: Continuation) {
    const { result, step } = await walkOn(c);
    await recordStep(c.tx, c.tenantId, c.runId, step);
    if (result.error) metrics.runsFailed.inc();
    return result;
  }

  async function resumeWaiters({ tx, jobs }: UnitOfWork, e: EventEnvelope, data: EventData) {
    const waiting = await waitersFor(tx, e.tenantId, e.userId, data.name, now());
    for (const w of waiting) {
      const run = await lockRun(tx, e.tenantId, w.runId);
      if (!run) continue;
      const plan = await cache.plan(e.tenantId, run.workflowId, run.version);
      const loaded = plan?.nodes.get(w.nodeId);
      if (!plan || !loaded) continue;
      const match = loaded.rules.match;
      if (match) {
        const ruleInput = await ruleData(tx, plan, e.tenantId, e.userId, data, run.triggerEvent);
        if (!ruleMatches(match, ruleInput, (error) => onRuleError(loaded, error))) continue;
      }
      if (!(await takeWaiter(tx, e.tenantId, w.runId, w.nodeId))) continue;
      if (w.timeoutJobId) await jobs.cancel(tx, 'tripwire.resume', w.timeoutJobId);
      metrics.runsResumed.inc();
      await advance({
        tx,
        jobs,
        tenantId: e.tenantId,
        runId: run.id,
        plan,
        userId: e.userId,
        entry: {
          nodeId: w.nodeId,
          type: loaded.node.type,
          at: now().toISOString(),
          output: 'received',
          detail: { messageId: e.messageId },
        },
        start: loaded.node.next.received ?? [],
        event: data,
        trigger: run.triggerEvent,
        resumed: true,
      });
    }
  }

  function newRun(unit: UnitOfWork, { plan, nodeId }: Interest, e: EventEnvelope, data: EventData) {
    const loaded = plan.nodes.get(nodeId) as LoadedNode;
    const run: NewRun = {
      tenantId: e.tenantId,
      id: randomUUID(),
      workflowId: plan.workflowId,
      version: plan.version,
      userId: e.userId,
      triggerEvent: data,
    };
    const c: Continuation = {
      tx: unit.tx,
      jobs: unit.jobs,
      tenantId: e.tenantId,
      runId: run.id,
      plan,
      userId: e.userId,
      entry: {
        nodeId,
        type: loaded.node.type,
        at: now().toISOString(),
        output: 'next',
        detail: { messageId: e.messageId, filter: loaded.rules.filter ? true : undefined },
      },
      start: loaded.node.next.next ?? [],
      event: data,
      trigger: data,
      resumed: false,
    };
    return { run, c };
  }

  function countStart(result: WalkResult) {
    metrics.runsStarted.inc();
    if (result.error) metrics.runsFailed.inc();
    else if (result.waits === 0) metrics.runsCompleted.inc();
  }

  /** After the event was claimed: a run whose walk may touch state, recorded as it goes. */
  async function startRun(unit: UnitOfWork, interest: Interest, e: EventEnvelope, data: EventData) {
    const { run, c } = newRun(unit, interest, e, data);
    if (interest.plan.registersWaiters) {
      // A waiter references its run: the row has to exist before the walk registers one.
      await insertRun(unit.tx, run);
      const { result, step } = await walkOn(c);
      await recordStep(unit.tx, run.tenantId, run.id, step);
      countStart(result);
    } else {
      const { result, step } = await walkOn(c);
      await insertWalkedRun(unit.tx, run, step);
      countStart(result);
    }
  }

  /**
   * Runs whose walk writes no state (it may read the profile): walked first, then claimed and
   * inserted in one statement. A redelivered event inserts nothing, and the jobs its walks sent are
   * taken back.
   */
  async function startRunsBeforeClaim(unit: UnitOfWork, d: Decision, e: EventEnvelope, data: EventData) {
    const mark = unit.jobs.mark();
    // Loaded once for the event's walks, and as the event's tenant (row-level security): the
    // transaction may still be acting as the tenant of the batch's previous event.
    const user = d.triggers.some((t) => t.plan.readsUser)
      ? (profiles.peek(e.tenantId, e.userId) ??
        (await profiles.get(await unit.enter(e.tenantId), e.tenantId, e.userId)))
      : undefined;
    const walked: (WalkedRun & { result: WalkResult })[] = [];
    for (const interest of d.triggers) {
      const { run, c } = newRun(unit, interest, e, data);
      walked.push({ run, ...(await walkOn(user ? { ...c, user } : c)) });
    }
    if (!(await unit.claimWithRuns(e.tenantId, e.messageId, e.userId, walked))) {
      unit.jobs.discard(mark);
      return false;
    }
    for (const { result } of walked) countStart(result);
    return true;
  }

  return {
    advance,
    walkOn,
    /** Returns false when the event was already processed (a redelivery): nothing was done. */
    async evaluate(unit: UnitOfWork, e: EventEnvelope, route: Route): Promise<boolean> {
      const data = eventData(e);
      const d = await decide(unit, e, route, data);
      // An event that changes nothing needs no processed-event key: a redelivery decides the same
      // way and changes nothing again. A decision that read a profile is keyed, as traits change.
      if (!route.waits && d.counts.length === 0 && d.triggers.length === 0 && !d.readProfile) return true;
      const walkFirst = d.triggers.length > 0 && d.triggers.every((t) => t.plan.walksWithoutState);
      if (walkFirst && !route.waits && d.counts.length === 0) return startRunsBeforeClaim(unit, d, e, data);
      if (!(await unit.claim(e.tenantId, e.messageId))) return false;
      const { tx } = unit;
      for (const { plan, nodeId } of d.counts) {
        const key = { tenantId: e.tenantId, userId: e.userId, workflowId: plan.workflowId, nodeId };
        await addMark(tx, key, new Date(e.timestamp), e.messageId);
      }
      if (route.waits) await resumeWaiters(unit, e, data);
      for (const interest of d.triggers) await startRun(unit, interest, e, data);
      return true;
    },
  };
}
export type EventEvaluator = ReturnType<typeof createEventEvaluator>;
