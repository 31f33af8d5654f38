import { randomUUID } from 'node:crypto';
import {
  type ActionJob,
  actionQueue,
  actionSettings,
  endpointGroup,
  type LookupAnswer,
  type LookupRequest,
  RESUME_QUEUE,
  type ResumeJob,
  type WalkPort,
} from '@tripwire/rules';
import { actionIdFor } from './action-id.ts';
import { PRIORITY } from './jobs/priority.ts';
import type { ActionQuotaPlan } from './state/action-quota.ts';
import type { ConsentLookup } from './state/consent.ts';
import { addMarkBelow, countMarks } from './state/marks.ts';
import { addWaiter } from './state/waiters.ts';
import type { UnitOfWork } from './unit-of-work.ts';
import type { WorkflowPlan } from './workflow-plan.ts';

/** The run a walk belongs to: whose state it reads and where its effects go. */
export interface RunScope {
  unit: UnitOfWork;
  tenantId: string;
  userId: string;
  runId: string;
  plan: WorkflowPlan;
  /** What this walk continues from: the event or job that resumed the run; none from the trigger. */
  cause?: string;
  /** The consent lookup of this engine (tenant settings cached briefly). */
  consent: ConsentLookup;
  /** A wait.event was registered for this event name (so it is routed even off the active version). */
  awaiting(eventName: string): Promise<void>;
  /** A look-up's request for this user (lookups/lookups.ts: the cache, then HTTP with the address guard). */
  lookup(nodeId: string, request: LookupRequest): Promise<LookupAnswer>;
  /** The tenant's daily action quota (its plan, cached briefly). */
  quotaPlan(): Promise<ActionQuotaPlan>;
  /** The engine's clock: the day an action counts on. */
  clock(): number;
}

/**
 * The engine's side of the node runtime: per-user state in Postgres (user_marks, waiters), waits as
 * resume jobs, actions as jobs on their `type@version` queue — all in the unit's transaction, so they
 * commit with the run. The decisions are the nodes' own steps (packages/rules); this only stores.
 */
export function postgresPort(s: RunScope): WalkPort {
  const { tx, jobs } = s.unit;
  const markKey = (nodeId: string) => ({
    tenantId: s.tenantId,
    userId: s.userId,
    workflowId: s.plan.workflowId,
    nodeId,
  });
  /** Per node, how often this walk has sent from it (see actionIdFor). */
  const sent = new Map<string, number>();
  return {
    consentFor: s.consent(() => s.unit.enter(s.tenantId), s.tenantId, s.userId),
    admitAction: async () =>
      s.unit.actions.admit(s.tenantId, s.clock(), await s.quotaPlan(), () => s.unit.enter(s.tenantId)),
    countEvents: (nodeId, window) => countMarks(tx, markKey(nodeId), window),
    reservePass: (nodeId, window, max) => addMarkBelow(tx, markKey(nodeId), window, max, s.runId),
    lookup: s.lookup,
    async park(node, wait) {
      const job = (kind: ResumeJob['kind'], output: string): ResumeJob => ({
        tenantId: s.tenantId,
        runId: s.runId,
        nodeId: node.id,
        kind,
        output,
        key: `resume:${randomUUID()}`,
      });
      if (wait.kind === 'delay') {
        await jobs.send(tx, RESUME_QUEUE, job('delay', wait.output), { startAfter: new Date(wait.until) });
        return true;
      }
      const timeoutJobId = randomUUID();
      const registered = await addWaiter(tx, {
        tenantId: s.tenantId,
        runId: s.runId,
        nodeId: node.id,
        userId: s.userId,
        eventName: wait.event,
        expiresAt: new Date(wait.until),
        timeoutJobId,
        resumeOutput: wait.received,
      });
      // A second branch reaching the same wait joins the registered one: no wait, no timeout of its own.
      if (!registered) return false;
      await jobs.send(tx, RESUME_QUEUE, job('timeout', wait.timeout), {
        startAfter: new Date(wait.until),
        id: timeoutJobId,
      });
      await s.awaiting(wait.event);
      return true;
    },
    async send(node, action) {
      const occurrence = sent.get(node.id) ?? 0;
      sent.set(node.id, occurrence + 1);
      const job: ActionJob = {
        tenantId: s.tenantId,
        runId: s.runId,
        workflowId: s.plan.workflowId,
        version: s.plan.version,
        nodeId: node.id,
        userId: s.userId,
        type: node.def.type,
        nodeVersion: node.def.version,
        actionId: actionIdFor(s.runId, node.id, s.cause, occurrence),
        config: action.payload,
        ...(action.consent ? { consent: action.consent } : {}),
      };
      // In its endpoint's group: pg-boss keeps that group's active jobs under the endpoint limit, and
      // fetches by priority first within what the group may take.
      const group = endpointGroup(job);
      const { priority } = actionSettings(node.step.config);
      // Held by the daily quota: queued now, delivered from its day on (startAfter is the database's
      // time, so the delay is taken from the engine's clock).
      const held = action.startAfter === undefined ? undefined : Math.max(0, action.startAfter - s.clock());
      await jobs.send(tx, actionQueue(node.def.type, node.def.version), job, {
        priority: PRIORITY[priority],
        ...(group ? { group } : {}),
        ...(held === undefined ? {} : { startAfter: new Date(Date.now() + held) }),
      });
      return job.actionId;
    },
  };
}
