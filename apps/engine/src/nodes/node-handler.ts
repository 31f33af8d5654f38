import type { TenantTx } from '@tripwire/db';
import type { LoadedNode, LoadedPlan } from '../compiled-plan.ts';
import type { EventData } from '../envelope.ts';
import type { JobSink } from '../jobs/job-buffer.ts';

/** The rule data context: `{ event, trigger, user }`. */
export interface RuleData {
  event: EventData;
  trigger: EventData;
  user: Record<string, unknown>;
}

export interface StepContext {
  tx: TenantTx;
  tenantId: string;
  userId: string;
  plan: LoadedPlan;
  runId: string;
  data: RuleData;
  now: Date;
  jobs: Pick<JobSink, 'send'>;
  /** condition.count windows end here instead of at the current event (a resumed delay or timeout). */
  countsUntil?: Date;
  /** A wait.event registered a waiter for this event name (routes it even off the active version). */
  awaiting?(eventName: string): Promise<void>;
}

export interface NodeOutcome {
  /** The output handle to follow; none ends this branch (a wait parks it). */
  output?: string;
  /** A wait was registered: the run stays open until it resumes. */
  waiting?: boolean;
  detail?: Record<string, unknown>;
}

export type NodeHandler = (node: LoadedNode, ctx: StepContext) => Promise<NodeOutcome>;

/** Raised for a node the engine cannot run (a plan from a newer compiler); the run fails with it. */
export class UnsupportedNode extends Error {}
