import type { Database } from '@tripwire/db';
import { RESUME_QUEUE } from '@tripwire/rules';
import { sql } from 'drizzle-orm';
import type { PgBoss } from 'pg-boss';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';

/**
 * Job queue gauges for the dashboards: depths per queue from pg-boss (cheap: its monitor keeps
 * the counts), and how overdue the oldest due wait is (a waits backlog or stopped resume workers).
 * Every engine reports the same figures; dashboards take the max over engines.
 */
export function createQueueMonitor({
  db,
  boss,
  schema,
  metrics,
  logger,
  intervalMs = 15_000,
}: {
  db: Database;
  boss: PgBoss;
  schema: string;
  metrics: Metrics;
  logger: Logger;
  intervalMs?: number;
}) {
  let timer: NodeJS.Timeout | undefined;

  async function sample() {
    for (const q of await boss.getQueues()) {
      metrics.jobQueueDepth.set({ queue: q.name, state: 'ready' }, q.readyCount);
      metrics.jobQueueDepth.set({ queue: q.name, state: 'deferred' }, q.deferredCount);
      metrics.jobQueueDepth.set({ queue: q.name, state: 'active' }, q.activeCount);
    }
    // pg-boss's job index on queued jobs ends with start_after, so this reads the index only.
    const { rows } = await db.execute<{ seconds: number | null }>(sql`
      select extract(epoch from now() - min(start_after))::float8 as seconds
      from ${sql.identifier(schema)}.job
      where name = ${RESUME_QUEUE} and state in ('created', 'retry') and start_after < now()`);
    metrics.oldestOverdueWaitSeconds.set(rows[0]?.seconds ?? 0);
  }

  return {
    start() {
      const tick = () => void sample().catch((err: unknown) => logger.warn({ err }, 'queue metrics failed'));
      tick();
      timer = setInterval(tick, intervalMs);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
    },
    sample,
  };
}
