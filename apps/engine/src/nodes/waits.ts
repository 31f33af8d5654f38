import { randomUUID } from 'node:crypto';
import { RESUME_QUEUE } from '../jobs/job-queues.ts';
import { addWaiter } from '../state/waiters.ts';
import type { NodeHandler } from './node-handler.ts';

export interface ResumeJob {
  tenantId: string;
  runId: string;
  nodeId: string;
  /** delay: wait.delay elapsed; timeout: wait.event gave up. */
  kind: 'delay' | 'timeout';
  output: string;
  /** Claimed once in processed_events, so a re-delivered job resumes nothing twice. */
  key: string;
}

export const waitDelay: NodeHandler = async ({ node }, { tx, tenantId, runId, now, jobs }) => {
  const resumeAt = new Date(now.getTime() + (node.durations.duration as number));
  const job: ResumeJob = {
    tenantId,
    runId,
    nodeId: node.id,
    kind: 'delay',
    output: 'next',
    key: `resume:${randomUUID()}`,
  };
  await jobs.send(tx, RESUME_QUEUE, job, { startAfter: resumeAt });
  return { waiting: true, detail: { until: resumeAt.toISOString() } };
};

export const waitEvent: NodeHandler = async ({ node }, { tx, tenantId, userId, runId, now, jobs, awaiting }) => {
  const expiresAt = new Date(now.getTime() + (node.durations.timeout as number));
  const timeoutJobId = randomUUID();
  const registered = await addWaiter(tx, {
    tenantId,
    runId,
    nodeId: node.id,
    userId,
    eventName: node.config.event as string,
    expiresAt,
    timeoutJobId,
  });
  // A second branch of the run reaching the same wait joins the one already registered: it adds
  // no wait (and no timeout) of its own, or the run would count a wait that can never end.
  if (!registered) return { detail: { event: node.config.event, joined: true } };
  const job: ResumeJob = {
    tenantId,
    runId,
    nodeId: node.id,
    kind: 'timeout',
    output: 'timeout',
    key: `resume:${randomUUID()}`,
  };
  await jobs.send(tx, RESUME_QUEUE, job, { startAfter: expiresAt, id: timeoutJobId });
  await awaiting?.(node.config.event as string);
  return { waiting: true, detail: { event: node.config.event, until: expiresAt.toISOString() } };
};
