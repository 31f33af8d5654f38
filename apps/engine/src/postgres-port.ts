import { randomUUID } from 'node:crypto';
import {
  type ActionJob,
  actionQueue,
  endpointGroup,
  RESUME_QUEUE,
  type ResumeJob,
  type WalkPort,
} from '@tripwire/rules';
import { actionIdFor } from './action-id.ts';
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
  /** A wait.event was registered for this event name (so it is routed even off the active version). */
  awaiting(eventName: string): Promise<void>;
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
  return {
    countEvents: (nodeId, window) => countMarks(tx, markKey(nodeId), window),
    reservePass: (nodeId, window, max) => addMarkBelow(tx, markKey(nodeId), window, max, s.runId),
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
      const job: ActionJob = {
        tenantId: s.tenantId,
        runId: s.runId,
        workflowId: s.plan.workflowId,
        version: s.plan.version,
        nodeId: node.id,
        type: node.def.type,
        nodeVersion: node.def.version,
        actionId: actionIdFor(s.runId, node.id),
        config: action.payload,
      };
      // In its endpoint's group: pg-boss keeps that group's active jobs under the endpoint limit.
      const group = endpointGroup(job);
      await jobs.send(tx, actionQueue(node.def.type, node.def.version), job, group ? { group } : {});
      return job.actionId;
    },
  };
}
