// Tenant quotas (decision 039), shared by ingestion (events per month), the engine (actions per
// day), the operator CLI (plans) and the usage page: the periods are UTC calendar months and days,
// written once here so every process counts into the same row.
import { z } from 'zod';

/** What an engine does with an action over the daily quota: keep it queued for a later day, or not send it. */
export const OVER_QUOTA_ACTIONS = ['hold', 'drop'] as const;
export type OverQuotaActions = (typeof OVER_QUOTA_ACTIONS)[number];

/** The counted metrics: events accepted by ingestion per month, actions enqueued per day. */
export const USAGE_METRICS = ['events', 'actions'] as const;
export type UsageMetric = (typeof USAGE_METRICS)[number];

/** At this share of a limit the app warns that the workspace is near it. */
export const NEAR_QUOTA_SHARE = 0.9;

/** How many days ahead held actions are spread before the engine gives up and drops them. */
export const MAX_HOLD_DAYS = 31;

const INT4 = 2_147_483_647;
const limit = (min: number, max = Number.MAX_SAFE_INTEGER) => z.number().int().min(min).max(max).nullable();

/** A plan's limits; null is no limit (ingestion then uses the tenant's own rate). */
export const PlanLimits = z.object({
  ingestRatePerSecond: limit(1, INT4),
  ingestBurst: limit(1, INT4),
  eventsPerMonth: limit(0),
  actionsPerDay: limit(0, INT4),
  workflows: limit(0, INT4),
  overQuotaActions: z.enum(OVER_QUOTA_ACTIONS),
});
export type PlanLimits = z.infer<typeof PlanLimits>;

const DAY_MS = 86_400_000;

/** The UTC day of `ms` as `YYYY-MM-DD` (a Postgres date). */
export function dayPeriod(ms: number): string {
  return new Date(ms - (((ms % DAY_MS) + DAY_MS) % DAY_MS)).toISOString().slice(0, 10);
}

/** The first day of the UTC month of `ms`, as `YYYY-MM-01`. */
export function monthPeriod(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 7)}-01`;
}

/** The start (ms) of the UTC day after the one `ms` is in. */
export function nextDayStart(ms: number): number {
  return Date.parse(dayPeriod(ms)) + DAY_MS;
}

/** The start (ms) of the UTC month after the one `ms` is in (December rolls into January). */
export function nextMonthStart(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** The UTC day `n` days after the day `period` (`YYYY-MM-DD`). */
export function addDays(period: string, n: number): string {
  return dayPeriod(Date.parse(period) + n * DAY_MS);
}

/** Whole seconds from `ms` until `until`, at least 1 (a Retry-After). */
export function secondsUntil(ms: number, until: number): number {
  return Math.max(1, Math.ceil((until - ms) / 1000));
}

/** The reason a 429 gives when the month's events are used up. */
export function monthlyEventQuotaReason(eventsPerMonth: number, resetsAt: number): string {
  const day = new Date(resetsAt).toISOString().slice(0, 10);
  return `This workspace's monthly event quota of ${eventsPerMonth.toLocaleString('en-US')} reached: events are accepted again from ${day} 00:00 UTC, or ask your operator for a larger plan`;
}

/** What the run trace says about an action the daily quota held back or dropped. */
export const OVER_ACTION_QUOTA_REASON = 'over the daily action quota';

/** Used against limit: the share (0..1, or more when over), 0 without a limit. */
export function usageShare(used: number, max: number | null): number {
  if (max === null) return 0;
  if (max === 0) return used > 0 ? Infinity : 1;
  return used / max;
}
