import { type PathEntry, type RuleData, settleRun, type WalkResult, walk } from '@tripwire/rules';
import { sql } from 'drizzle-orm';
import type { Clock } from './clock.ts';
import { isDatabaseError } from './db-errors.ts';
import type { createLookups } from './lookups/lookups.ts';
import type { Metrics } from './metrics.ts';
import { postgresPort } from './postgres-port.ts';
import { createQuotaPlans } from './state/action-quota.ts';
import { createConsentLookup } from './state/consent.ts';
import type { ProfileCache } from './state/profiles.ts';
import { recordStep, type Step } from './state/runs.ts';
import type { UnitOfWork } from './unit-of-work.ts';
import type { WorkflowCache } from './workflow-cache.ts';
import type { WorkflowPlan } from './workflow-plan.ts';

/** A run about to walk on: from its trigger (a new run), or from a wait that resumed. */
export interface Continuation {
  unit: UnitOfWork;
  tenantId: string;
  runId: string;
  userId: string;
  plan: WorkflowPlan;
  /** The entry for the node being left (the trigger, the wait that resumed), recorded before walking on. */
  entry: PathEntry;
  start: readonly string[];
  data: RuleData;
  /** Where condition.count windows end (see StepContext.countsUntil). */
  countsUntil: number;
  /** Waits the run had parked before; a resumed walk takes one of them back. */
  pendingBefore: number;
  resumed: boolean;
  /** The event (message id) or resume job (key) this walk continues from; none from the trigger. */
  cause?: string;
}

/**
 * Advancing runs, shared by the event path (new runs, awaited events) and the resume worker (delays,
 * timeouts): the nodes' steps walk with Postgres behind the port, and the run's row records what
 * they did with the status runtime/run-status.ts settles on.
 */
export function createRunAdvancer({
  cache,
  profiles,
  metrics,
  clock,
  lookups,
}: {
  cache: WorkflowCache;
  profiles: ProfileCache;
  metrics: Metrics;
  clock: Clock;
  /** Look-ups for a unit, tenant and user (lookups/lookups.ts). */
  lookups: ReturnType<typeof createLookups>;
}) {
  const consent = createConsentLookup();
  const quotaPlans = createQuotaPlans();

  /** The user's traits for `user.*`, loaded only for plans that read them, acting as the tenant. */
  async function user(unit: UnitOfWork, plan: WorkflowPlan, tenantId: string, userId: string) {
    if (!plan.readsUser) return {};
    return profiles.peek(tenantId, userId) ?? profiles.get(await unit.enter(tenantId), tenantId, userId);
  }

  /** A wait.event on a version that is not the active one: make sure its event is routed. */
  async function awaiting(unit: UnitOfWork, plan: WorkflowPlan, eventName: string) {
    if (cache.isActive(plan)) return;
    cache.noteAwaited(plan.tenantId, eventName);
    // Other engines (the one consuming this user's partition) reload the workflow when this commits,
    // and with it the names its pending waiters await.
    const payload = JSON.stringify({ tenantId: plan.tenantId, workflowId: plan.workflowId });
    await unit.tx.execute(sql`select pg_notify('tripwire_workflows', ${payload})`);
  }

  /** Walks the run on; what it did is the step to record. */
  async function walkOn(c: Continuation): Promise<{ result: WalkResult; step: Step }> {
    const port = postgresPort({
      unit: c.unit,
      tenantId: c.tenantId,
      userId: c.userId,
      runId: c.runId,
      plan: c.plan,
      ...(c.cause !== undefined ? { cause: c.cause } : {}),
      consent,
      awaiting: (eventName) => awaiting(c.unit, c.plan, eventName),
      lookup: lookups(c.unit, c.tenantId, c.userId),
      quotaPlan: () => quotaPlans(() => c.unit.enter(c.tenantId), c.tenantId),
      clock,
    });
    const result = await walk(c.plan, c.start, {
      data: c.data,
      now: clock(),
      countsUntil: c.countsUntil,
      port,
      isFatal: isDatabaseError,
    });
    const settled = settleRun(c.pendingBefore, result.waits - (c.resumed ? 1 : 0), result.error);
    c.unit.counts.add(c.plan, [c.entry, ...result.path], c.resumed);
    const step: Step = {
      path: [c.entry, ...result.path],
      settled,
      currentNode: result.lastNode ?? c.entry.nodeId,
      lookups: result.lookups,
      ...(result.error !== undefined ? { error: result.error } : {}),
    };
    return { result, step };
  }

  return {
    user,
    walkOn,
    /** Walks the run on and records the step (the run is locked, or new and inserted). */
    async advance(c: Continuation): Promise<Step> {
      const { result, step } = await walkOn(c);
      await recordStep(c.unit.tx, c.tenantId, c.runId, step);
      if (result.error) metrics.runsFailed.inc();
      return step;
    },
    /** Ends a run that cannot go on (its version no longer loads), saying why. */
    async fail(unit: UnitOfWork, tenantId: string, runId: string, entry: PathEntry, error: string) {
      const step: Step = {
        path: [{ ...entry, detail: { ...entry.detail, error } }],
        settled: settleRun(0, 0, error),
        currentNode: entry.nodeId,
        lookups: {},
        error,
      };
      await recordStep(unit.tx, tenantId, runId, step);
      metrics.runsFailed.inc();
    },
  };
}

export type RunAdvancer = ReturnType<typeof createRunAdvancer>;
