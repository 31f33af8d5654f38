import type { Database } from '@tripwire/db';
import { LOOKUP_MAX_CACHE_MS } from '@tripwire/rules';
import { sql } from 'drizzle-orm';
import type { Logger } from './logger.ts';

export interface RetentionOptions {
  runRetentionDays: number;
  processedRetentionHours: number;
}

/** The canvas shows counts of up to 7 days. */
const COUNTS_KEPT_DAYS = 8;

/** Longest window a condition.count or limit.frequency can have (the rules package's cap). */
const MAX_WINDOW_DAYS = 90;

/** Bounded retention for run records, processed-event keys and counter marks; hourly. */
export function createMaintenance(db: Database, logger: Logger, options: RetentionOptions, intervalMs = 3_600_000) {
  let timer: NodeJS.Timeout | undefined;
  async function prune() {
    const day = 86_400_000;
    const now = Date.now();
    const { rows } = await db.execute(
      sql`select * from tripwire_prune(${new Date(now - options.runRetentionDays * day)}, ${new Date(now - options.processedRetentionHours * 3_600_000)}, ${new Date(now - (MAX_WINDOW_DAYS + 1) * day)})`,
    );
    const history = await db.execute(
      sql`select * from tripwire_prune_history(${new Date(now - options.runRetentionDays * day)}, ${new Date(now - COUNTS_KEPT_DAYS * day)})`,
    );
    // Counters older than an hour are only read as sums: fold them into one row per hour.
    const folded = await db.execute(sql`select tripwire_compact_path_counts(${new Date(now - 3_600_000)}) as rows`);
    // No node reuses a look-up's answer for longer than LOOKUP_MAX_CACHE_MS.
    const lookups = await db.execute(
      sql`select tripwire_prune_lookups(${new Date(now - LOOKUP_MAX_CACHE_MS)}) as rows`,
    );
    logger.info(
      {
        pruned: { ...rows[0], ...history.rows[0], lookupAnswers: lookups.rows[0]?.rows },
        countersFolded: folded.rows[0]?.rows,
      },
      'retention',
    );
  }
  return {
    start() {
      void prune().catch((err: unknown) => logger.error({ err }, 'retention failed'));
      timer = setInterval(
        () => void prune().catch((err: unknown) => logger.error({ err }, 'retention failed')),
        intervalMs,
      );
      timer.unref();
    },
    stop() {
      clearInterval(timer);
    },
    prune,
  };
}
