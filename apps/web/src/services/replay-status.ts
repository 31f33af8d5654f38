import type { TenantTx } from '@tripwire/db';
import { sql } from 'drizzle-orm';

export type ReplayState = 'queued' | 'delivering' | 'delivered' | 'failed' | 'unknown';

/**
 * What became of replayed jobs, read from pg-boss's job table in one query (pg-boss's findJobs is
 * one call per job). Keyed by (queue, id), which is the table's primary key per queue partition.
 * Jobs pg-boss has already deleted (a week after completion) are 'unknown'.
 */
export async function replayStates(
  tx: TenantTx,
  jobsSchema: string,
  jobs: { queue: string; jobId: string }[],
): Promise<Map<string, ReplayState>> {
  const states = new Map<string, ReplayState>();
  const valid = jobs.filter((j) => /^[0-9a-f-]{36}$/i.test(j.jobId));
  if (valid.length === 0) return states;
  // A Retry-After completes the job and sends a copy for later (action-dispatcher.ts): still queued.
  const { rows } = await tx.execute<{ id: string; state: string }>(sql`
    select j.id::text as id,
      case when j.state = 'completed' and j.output ? 'rescheduledInMs' then 'retry' else j.state::text end as state
    from ${sql.identifier(jobsSchema)}.job j
    join jsonb_to_recordset(${JSON.stringify(valid)}::jsonb) as wanted(queue text, "jobId" uuid)
      on j.name = wanted.queue and j.id = wanted."jobId"`);
  for (const row of rows) states.set(row.id, toReplayState(row.state));
  return states;
}

function toReplayState(state: string): ReplayState {
  switch (state) {
    case 'created':
    case 'retry':
      return 'queued';
    case 'active':
      return 'delivering';
    case 'completed':
      return 'delivered';
    case 'failed':
    case 'cancelled':
      return 'failed';
    default:
      return 'unknown';
  }
}
