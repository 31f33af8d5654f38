import { actAsTenant, type TenantTx } from '@tripwire/db';
import type { BufferedJobs } from './jobs/job-buffer.ts';
import type { JobQueues } from './jobs/job-queues.ts';
import { type ActionCounts, createActionCounts } from './state/action-quota.ts';
import { claimWithRuns, type WalkedRun } from './state/claimed-runs.ts';
import { type CountBuffer, createCountBuffer } from './state/path-counts.ts';
import { claim, claimAllAs, claimAs } from './state/processed.ts';

/**
 * One transaction (or one event's savepoint) of engine work: the tenant it currently acts as, and
 * the jobs it enqueues. Both save round trips: set_config runs only when an event actually touches
 * Postgres and the tenant changed (most routed events fail their filters and never need it), and the
 * jobs go in together when the unit finishes.
 */
export interface UnitOfWork {
  tx: TenantTx;
  enter(tenantId: string): Promise<TenantTx>;
  /** Enters `tenantId` and claims `key` there (see state/processed.ts), in one round trip. */
  claim(tenantId: string, key: string): Promise<boolean>;
  /** claim for many keys of one tenant: the keys claimed now (the others were before). */
  claimAll(tenantId: string, keys: string[]): Promise<Set<string>>;
  /** Claims `key` and inserts the event's walked runs with it (see state/claimed-runs.ts). */
  claimWithRuns(tenantId: string, key: string, userId: string, walked: WalkedRun[]): Promise<boolean>;
  jobs: BufferedJobs;
  /** The canvas counters the unit's walks add to (state/path-counts.ts). */
  counts: Pick<CountBuffer, 'add'>;
  /** The actions the unit's walks send, counted against the tenants' daily quotas (state/action-quota.ts). */
  actions: Pick<ActionCounts, 'admit'>;
  /** What the unit has sent and counted so far, to take back with `discard` (a redelivered event). */
  mark(): unknown;
  discard(mark: unknown): void;
}

export interface UnitOptions {
  /** Which counter shard this unit adds to: its Kafka partition, or its resume worker's slot. */
  shard?: number;
}

/**
 * Runs `fn` as a unit of work on `tx` and inserts its jobs before returning, so they commit (or roll
 * back) with everything else `fn` did. Take a new unit after a rollback to a savepoint: the tenant
 * setting and the buffered jobs of the old one are gone.
 */
export async function withinUnit<T>(
  tx: TenantTx,
  jobs: Pick<JobQueues, 'buffer'>,
  fn: (unit: UnitOfWork) => Promise<T>,
  options: UnitOptions = {},
): Promise<T> {
  const buffer = jobs.buffer(tx);
  const counts = createCountBuffer(options.shard ?? 0);
  const actions = createActionCounts();
  let current: string | undefined;
  const result = await fn({
    tx,
    jobs: buffer.sink,
    counts,
    actions,
    mark: () => ({ jobs: buffer.sink.mark(), counts: counts.mark(), actions: actions.mark() }),
    discard(mark) {
      const m = mark as {
        jobs: number;
        counts: ReturnType<CountBuffer['mark']>;
        actions: ReturnType<ActionCounts['mark']>;
      };
      buffer.sink.discard(m.jobs);
      counts.discard(m.counts);
      actions.discard(m.actions);
    },
    async enter(tenantId) {
      if (current !== tenantId) {
        await actAsTenant(tx, tenantId);
        current = tenantId;
      }
      return tx;
    },
    async claim(tenantId, key) {
      if (current === tenantId) return claim(tx, tenantId, key);
      const fresh = await claimAs(tx, tenantId, key);
      current = tenantId;
      return fresh;
    },
    async claimAll(tenantId, keys) {
      const fresh = await claimAllAs(tx, tenantId, keys);
      current = tenantId;
      return fresh;
    },
    async claimWithRuns(tenantId, key, userId, walked) {
      const fresh = await claimWithRuns(tx, tenantId, key, userId, walked);
      current = tenantId;
      return fresh;
    },
  });
  await buffer.flush();
  current = (await counts.flush(tx)) ?? current;
  // Last: a tenant near its quota holds its day's row only from here to the commit.
  current = (await actions.flush(tx)) ?? current;
  return result;
}
