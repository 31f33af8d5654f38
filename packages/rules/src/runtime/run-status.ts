// One place decides what a run's status is after a walk, for the engine's writes and the replays.

export type RunStatus = 'running' | 'waiting' | 'completed' | 'failed';

export interface Settled {
  status: Exclude<RunStatus, 'running'>;
  /** Waits still parked after this walk. */
  pending: number;
  finished: boolean;
}

/** `pendingBefore` waits were parked; the walk parked `delta` more (a resume takes one back). */
export function settleRun(pendingBefore: number, delta: number, error?: string): Settled {
  const pending = Math.max(0, pendingBefore + delta);
  if (error !== undefined) return { status: 'failed', pending, finished: true };
  return pending > 0
    ? { status: 'waiting', pending, finished: false }
    : { status: 'completed', pending, finished: true };
}
