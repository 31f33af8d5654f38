import { randomUUID } from 'node:crypto';
import { actAsTenant, type TenantTx } from '@tripwire/db';
import { truthy } from '@tripwire/rules';
import type { LoadedPlan } from './compiled-plan.ts';
import { type EventData, type EventEnvelope, eventData } from './envelope.ts';
import type { JobQueues } from './jobs/job-queues.ts';
import type { Metrics } from './metrics.ts';
import type { RuleData, StepContext } from './nodes/node-handler.ts';
import { walk } from './run-walker.ts';
import { addMark } from './state/marks.ts';
import { claim } from './state/processed.ts';
import type { ProfileCache } from './state/profiles.ts';
import { insertRun, lockRun, type PathEntry, recordStep } from './state/runs.ts';
import { takeWaiter, waitersFor } from './state/waiters.ts';
import type { Route, WorkflowCache } from './workflow-cache.ts';

export interface EvaluatorDeps {
  cache: WorkflowCache;
  profiles: ProfileCache;
  jobs: Pick<JobQueues, 'send' | 'cancel'>;
  metrics: Metrics;
  now?: () => Date;
}

export interface Continuation {
  tx: TenantTx;
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
}

/**
 * Per event (inside the batch's transaction): record it for counters, resume runs waiting for
 * it, start runs it triggers. Only the nodes routed to this event name are looked at.
 */
export function createEventEvaluator({ cache, profiles, jobs, metrics, now = () => new Date() }: EvaluatorDeps) {
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

  /** Walks a run on from `start` and records the step; shared by new runs, events and resume jobs. */
  async function advance(c: Continuation) {
    const data = await ruleData(c.tx, c.plan, c.tenantId, c.userId, c.event, c.trigger);
    const ctx: StepContext = {
      tx: c.tx,
      tenantId: c.tenantId,
      userId: c.userId,
      plan: c.plan,
      runId: c.runId,
      data,
      now: now(),
      jobs,
    };
    const result = await walk(ctx, c.start);
    await recordStep(c.tx, c.tenantId, c.runId, {
      path: [c.entry, ...result.path],
      pendingDelta: result.waits - (c.resumed ? 1 : 0),
      currentNode: result.lastNode ?? c.entry.nodeId,
      ...(result.error !== undefined ? { error: result.error } : {}),
    });
    if (result.error) metrics.runsFailed.inc();
    return result;
  }

  async function recordCounts(tx: TenantTx, route: Route, e: EventEnvelope, data: EventData) {
    for (const { plan, nodeId } of route.counts) {
      const loaded = plan.nodes.get(nodeId);
      const filter = loaded?.rules.filter;
      if (filter && !truthy(filter(await ruleData(tx, plan, e.tenantId, e.userId, data, data)))) continue;
      await addMark(
        tx,
        { tenantId: e.tenantId, userId: e.userId, workflowId: plan.workflowId, nodeId },
        new Date(e.timestamp),
        e.messageId,
      );
    }
  }

  async function resumeWaiters(tx: TenantTx, e: EventEnvelope, data: EventData) {
    const waiting = await waitersFor(tx, e.tenantId, e.userId, data.name, now());
    for (const w of waiting) {
      const run = await lockRun(tx, e.tenantId, w.runId);
      if (!run) continue;
      const plan = await cache.plan(e.tenantId, run.workflowId, run.version);
      const loaded = plan?.nodes.get(w.nodeId);
      if (!plan || !loaded) continue;
      const match = loaded.rules.match;
      if (match && !truthy(match(await ruleData(tx, plan, e.tenantId, e.userId, data, run.triggerEvent)))) continue;
      if (!(await takeWaiter(tx, e.tenantId, w.runId, w.nodeId))) continue;
      if (w.timeoutJobId) await jobs.cancel(tx, 'tripwire.resume', w.timeoutJobId);
      metrics.runsResumed.inc();
      await advance({
        tx,
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

  async function startRuns(tx: TenantTx, route: Route, e: EventEnvelope, data: EventData) {
    for (const { plan, nodeId } of route.triggers) {
      const loaded = plan.nodes.get(nodeId);
      if (!loaded) continue;
      const filter = loaded.rules.filter;
      const passed = !filter || truthy(filter(await ruleData(tx, plan, e.tenantId, e.userId, data, data)));
      if (!passed) continue;
      const runId = randomUUID();
      await insertRun(tx, {
        tenantId: e.tenantId,
        id: runId,
        workflowId: plan.workflowId,
        version: plan.version,
        userId: e.userId,
        triggerEvent: data,
      });
      metrics.runsStarted.inc();
      const result = await advance({
        tx,
        tenantId: e.tenantId,
        runId,
        plan,
        userId: e.userId,
        entry: {
          nodeId,
          type: loaded.node.type,
          at: now().toISOString(),
          output: 'next',
          detail: { messageId: e.messageId, filter: filter ? true : undefined },
        },
        start: loaded.node.next.next ?? [],
        event: data,
        trigger: data,
        resumed: false,
      });
      if (!result.error && result.waits === 0) metrics.runsCompleted.inc();
    }
  }

  return {
    advance,
    /** Returns false when the event was already processed (a redelivery): nothing was done. */
    async evaluate(tx: TenantTx, e: EventEnvelope, route: Route): Promise<boolean> {
      await actAsTenant(tx, e.tenantId);
      if (!(await claim(tx, e.tenantId, e.messageId))) return false;
      const data = eventData(e);
      if (route.counts.length > 0) await recordCounts(tx, route, e, data);
      if (route.waits) await resumeWaiters(tx, e, data);
      if (route.triggers.length > 0) await startRuns(tx, route, e, data);
      return true;
    },
  };
}
export type EventEvaluator = ReturnType<typeof createEventEvaluator>;
