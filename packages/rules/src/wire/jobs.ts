// pg-boss job payloads and queue names shared by the engine (which enqueues and works them) and
// the web app (which replays dead letters).

/** Resumes of wait.delay and wait.event timeouts. */
export const RESUME_QUEUE = 'tripwire.resume';
/** Where action jobs go when they fail for good; the engine files them as tenant-visible dead letters. */
export const DEAD_LETTER_QUEUE = 'tripwire.dead-letters';

/** One queue per action `type@version` ("action.webhook.v1"): a version 2 never runs version 1's code. */
export const actionQueue = (type: string, version: number) => `${type}.v${version}`;

/** The action type and version a queue runs; a queue named before versions existed is version 1. */
export function actionOfQueue(queue: string): { type: string; version: number } {
  const m = /^(.*)\.v(\d+)$/.exec(queue);
  return m ? { type: m[1] as string, version: Number(m[2]) } : { type: queue, version: 1 };
}

/** The queue of an action job, including those enqueued before queues were versioned. */
export const queueOf = (job: Pick<ActionJob, 'type' | 'nodeVersion'>) => actionQueue(job.type, job.nodeVersion ?? 1);

/** What an action job carries: everything its executor needs, templates already rendered. */
export interface ActionJob {
  tenantId: string;
  runId: string;
  workflowId: string;
  /** The workflow version the run is on. */
  version: number;
  nodeId: string;
  /** The run's user (absent on jobs from before it was recorded): consent re-checks, deletions. */
  userId?: string;
  type: string;
  /** The node type's version, which picks the executor; absent on jobs from before it was recorded (1). */
  nodeVersion?: number;
  /** Stable per run and node: the webhook-id receivers deduplicate on, the same on every retry. */
  actionId: string;
  config: Record<string, unknown>;
  /** The consent category the user had granted when it was sent: checked again before delivery. */
  consent?: string;
  /** Times this action was rescheduled for a Retry-After; pg-boss counts ordinary retries. */
  reschedules?: number;
  /** Set on a rescheduled copy: the attempts the action has in all (the first job's retries + 1)… */
  attemptBudget?: number;
  /** …counted from this many failures recorded before the first job (earlier runs of a replay). */
  attemptBase?: number;
}

/** A dead action put back on its queue: the same payload (same actionId), a fresh attempt budget. */
export function replayOf(job: ActionJob, tenantId: string): ActionJob {
  const { attemptBudget: _budget, attemptBase: _base, ...original } = job;
  return { ...original, reschedules: 0, tenantId };
}

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
