import type { ActionPriority } from '@tripwire/rules';

/**
 * An action's priority as pg-boss's per-job `priority` (higher is fetched first within a queue;
 * decision 034). Normal is pg-boss's default, so jobs enqueued before priorities existed are normal.
 */
export const PRIORITY: Record<ActionPriority, number> = { high: 10, normal: 0, low: -10 };
