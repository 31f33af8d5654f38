import { type Database, ingestBuckets, type TenantTx, usageCounters, withTenant } from '@tripwire/db';
import { monthlyEventQuotaReason, monthPeriod, nextMonthStart, secondsUntil } from '@tripwire/rules';
import { and, eq, sql } from 'drizzle-orm';
import type { Logger } from '../logger.ts';
import { HttpError } from './http-error.ts';
import type { RateLimiter } from './rate-limit.ts';

/** Unspent leased tokens are given up after this long (the month's count gets them back). */
const LEASE_MS = 1000;
/** A lease is at least this share of the rate, so a busy tenant costs a round trip per slice, not per request. */
const LEASE_SHARE = 0.05;
/** Within this many leases of its monthly quota, a lease shrinks to a share of what is left... */
const NEAR_END_LEASES = 4;
/** ...this share (at least what the request needs), so a slice in one process's hand cannot refuse another's. */
const NEAR_END_SHARE = 1 / 8;

/** What a key's tenant may ingest: its rate (the plan's, or its own) and its plan's monthly events. */
export interface IngestLimits {
  ratePerSecond: number;
  burst: number;
  /** null: no monthly quota (the events are still counted, for the usage page). */
  eventsPerMonth: number | null;
}

interface Lease {
  tokens: number;
  until: number;
  /** The month (`YYYY-MM-01`) whose count the tokens were reserved in. */
  period: string;
}

interface Answer {
  granted: number;
  available: number;
  monthLeft: number;
}

const eventsRow = (tenantId: string, period: string) =>
  and(eq(usageCounters.tenantId, tenantId), eq(usageCounters.metric, 'events'), eq(usageCounters.period, period));

/** A tenant with a monthly quota while its count cannot be read: nothing stored, retry shortly. */
const countUnavailable = () =>
  new HttpError(
    503,
    'unavailable',
    "This workspace's event quota cannot be checked right now; nothing was stored. Retry later.",
    {
      headers: { 'retry-after': '5' },
    },
  );

/** The 429 of a tenant whose month is used up: Retry-After is the time until the next month (UTC). */
export function monthlyQuotaError(eventsPerMonth: number, at: number): HttpError {
  const resetsAt = nextMonthStart(at);
  return new HttpError(429, 'quota_exceeded', monthlyEventQuotaReason(eventsPerMonth, resetsAt), {
    headers: { 'retry-after': String(secondsUntil(at, resetsAt)) },
    details: { quota: 'events_per_month', limit: eventsPerMonth, resetsAt: new Date(resetsAt).toISOString() },
  });
}

/**
 * The ingestion rate limit and the monthly event quota, both in Postgres, so every web process
 * draws on one bucket (`ingest_buckets`) and one month's count (`usage_counters`) per tenant. A
 * process leases a slice of tokens (5% of the rate, or what the request needs) in one short
 * transaction and spends it locally for up to a second: the database is asked once per slice, not
 * per request. Each leased token is also an event reserved in the month's count, so the processes
 * together never admit more than the quota. Near it a lease shrinks to an eighth of what is left;
 * a used-up month is remembered for a second (refusals cost no transaction); a lease's unspent
 * tokens go back to the count with the next lease or within a second. All processes admit at most
 * the rate plus the slices in hand (each at most the burst). If Postgres cannot be asked, a
 * tenant with a monthly quota gets 503 (its quota cannot be kept uncounted); others fall back to
 * this process's in-memory bucket (`fallback`), counted nowhere, rather than refuse every event.
 */
export function createSharedRateLimiter(db: Database, fallback: RateLimiter, logger: Logger) {
  const leases = new Map<string, Lease>();
  /**
   * What a tenant's bucket held when a lease was refused for the rate: until it can have refilled
   * enough, requests are refused here (it only refills, so this refuses nothing it would admit).
   */
  const dry = new Map<string, { available: number; at: number }>();
  function rateLimited(ratePerSecond: number, need: number, available: number): HttpError {
    const waitSeconds = need > 0 ? Math.ceil((need - available) / ratePerSecond) : 1;
    return new HttpError(
      429,
      'rate_limited',
      `Over this workspace's ingestion rate of ${ratePerSecond} events/s (shared by all its keys)`,
      { headers: { 'retry-after': String(Math.max(1, waitSeconds)) } },
    );
  }
  /** The lease being taken for a tenant by this process, if any. */
  const inflight = new Map<string, Promise<void>>();
  /**
   * Tenants whose month was found used up, refused here until `until` without asking Postgres (a
   * client retrying at full speed costs no transactions); leases given back meanwhile wait a second.
   */
  const full = new Map<string, { until: number; period: string; eventsPerMonth: number }>();
  function usedUp(tenantId: string, at: number, period: string, eventsPerMonth: number | null) {
    const hit = full.get(tenantId);
    if (!hit) return;
    if (hit.until <= at || hit.period !== period || hit.eventsPerMonth !== eventsPerMonth) full.delete(tenantId);
    else throw monthlyQuotaError(hit.eventsPerMonth, at);
  }
  function refuseMonth(tenantId: string, at: number, eventsPerMonth: number): never {
    full.set(tenantId, { until: at + LEASE_MS, period: monthPeriod(at), eventsPerMonth });
    throw monthlyQuotaError(eventsPerMonth, at);
  }
  /** Unspent reservations to give back to each tenant's months (period → events). */
  const owed = new Map<string, Map<string, number>>();

  function owe(tenantId: string, period: string, tokens: number) {
    if (tokens <= 0) return;
    const months = owed.get(tenantId) ?? new Map<string, number>();
    months.set(period, (months.get(period) ?? 0) + tokens);
    owed.set(tenantId, months);
  }
  function takeOwed(tenantId: string) {
    const months = owed.get(tenantId);
    owed.delete(tenantId);
    return months;
  }
  function restoreOwed(tenantId: string, months: Map<string, number> | undefined) {
    for (const [period, tokens] of months ?? []) owe(tenantId, period, tokens);
  }
  /** Tokens this process holds for a tenant go back into its lease, or are owed when it has none. */
  function keep(tenantId: string, tokens: number, period: string) {
    const lease = leases.get(tenantId);
    if (lease && lease.period === period && lease.until > Date.now()) lease.tokens += tokens;
    else owe(tenantId, period, tokens);
  }

  async function giveBack(tx: TenantTx, tenantId: string, months: Map<string, number>, except?: string) {
    for (const [period, tokens] of months) {
      if (period === except) continue;
      await tx
        .update(usageCounters)
        .set({ count: sql`greatest(0, ${usageCounters.count} - ${tokens})` })
        .where(eventsRow(tenantId, period));
    }
  }

  /**
   * Takes up to `want` tokens (at least `need`, or none) from the tenant's bucket (when `rate` is
   * given) and from its month, giving back what it owed in the same transaction.
   */
  async function lease(
    tenantId: string,
    need: number,
    want: number,
    limits: { rate?: { perSecond: number; burst: number }; eventsPerMonth: number | null },
    back: Map<string, number> | undefined,
    at: number,
  ): Promise<Answer> {
    const period = monthPeriod(at);
    return withTenant(db, tenantId, async (tx) => {
      let available = Number.POSITIVE_INFINITY;
      const { rate } = limits;
      if (rate) {
        await tx.insert(ingestBuckets).values({ tenantId, tokens: rate.burst }).onConflictDoNothing();
        // clock_timestamp(), not now(): now() is when the transaction began, and one that waited long
        // for the row lock would move updated_at back, so the next lease would refill that time twice.
        const [row] = await tx
          .select({
            tokens: ingestBuckets.tokens,
            elapsed: sql<number>`greatest(0, extract(epoch from (clock_timestamp() - ${ingestBuckets.updatedAt})))::float8`,
          })
          .from(ingestBuckets)
          .where(eq(ingestBuckets.tenantId, tenantId))
          .for('update');
        available = Math.min(rate.burst, (row?.tokens ?? rate.burst) + (row?.elapsed ?? 0) * rate.perSecond);
      }
      if (back) await giveBack(tx, tenantId, back, period);
      await tx.insert(usageCounters).values({ tenantId, metric: 'events', period, count: 0 }).onConflictDoNothing();
      const [month] = await tx
        .select({ count: usageCounters.count })
        .from(usageCounters)
        .where(eventsRow(tenantId, period))
        .for('update');
      const used = Math.max(0, Number(month?.count ?? 0) - (back?.get(period) ?? 0));
      const monthLeft =
        limits.eventsPerMonth === null ? Number.POSITIVE_INFINITY : Math.max(0, limits.eventsPerMonth - used);
      let granted = 0;
      if (available >= need && monthLeft >= need) {
        // Close to the quota, a whole slice in one process's hand could refuse another's requests.
        const cap = monthLeft <= want * NEAR_END_LEASES ? Math.max(need, Math.floor(monthLeft * NEAR_END_SHARE)) : want;
        // Whole events: the bucket refills in fractions, the month is counted in events.
        granted = Math.floor(Math.min(available, monthLeft, cap));
      }
      if (rate) {
        await tx
          .update(ingestBuckets)
          .set({ tokens: available - granted, updatedAt: sql`clock_timestamp()` })
          .where(eq(ingestBuckets.tenantId, tenantId));
      }
      await tx
        .update(usageCounters)
        .set({ count: used + granted })
        .where(eventsRow(tenantId, period));
      return { granted, available, monthLeft };
    });
  }

  /** Leases past their time give their unspent tokens back to the month's count. */
  async function sweep() {
    const now = Date.now();
    for (const [tenantId, lease] of leases) {
      if (lease.until > now) continue;
      leases.delete(tenantId);
      owe(tenantId, lease.period, lease.tokens);
    }
    for (const tenantId of [...owed.keys()]) {
      const months = takeOwed(tenantId);
      if (!months) continue;
      try {
        await withTenant(db, tenantId, (tx) => giveBack(tx, tenantId, months));
      } catch (err) {
        restoreOwed(tenantId, months);
        logger.warn({ err }, 'could not give unspent ingestion leases back; tried again in a second');
        return;
      }
    }
  }
  /** take's lease, for the one request of this process leasing for the tenant now. */
  async function leaseFor(
    tenantId: string,
    cost: number,
    limits: IngestLimits,
    at: number,
    period: string,
    held: Lease | undefined,
  ): Promise<void> {
    // What is left in hand is this request's now; a concurrent one must not spend it too.
    const local = held?.tokens ?? 0;
    if (held) held.tokens = 0;
    const need = cost - local;
    const { ratePerSecond, burst } = limits;
    const want = Math.min(burst, Math.max(need, Math.ceil(ratePerSecond * LEASE_SHARE)));
    const back = takeOwed(tenantId);
    let answer: Answer;
    try {
      answer = await lease(
        tenantId,
        need,
        want,
        { rate: { perSecond: ratePerSecond, burst }, eventsPerMonth: limits.eventsPerMonth },
        back,
        at,
      );
    } catch (err) {
      restoreOwed(tenantId, back);
      keep(tenantId, local, period);
      // A monthly quota cannot be kept without its count: nothing is admitted uncounted.
      if (limits.eventsPerMonth !== null) {
        logger.warn({ err }, 'monthly event count unavailable; refusing this request for now');
        throw countUnavailable();
      }
      logger.warn({ err }, 'shared ingestion rate limit unavailable; limiting in this process');
      fallback.take(tenantId, cost, ratePerSecond, burst);
      return;
    }
    if (answer.granted >= need) {
      const current = leases.get(tenantId);
      if (current && current.period === period) current.tokens += answer.granted - need;
      else leases.set(tenantId, { tokens: answer.granted - need, until: at + LEASE_MS, period });
      return;
    }
    keep(tenantId, local, period);
    if (answer.monthLeft < need && limits.eventsPerMonth !== null) refuseMonth(tenantId, at, limits.eventsPerMonth);
    if (cost > burst) throw rateLimited(ratePerSecond, cost, 0);
    dry.set(tenantId, { available: answer.available, at });
    throw rateLimited(ratePerSecond, need, answer.available);
  }

  let sweeping: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    sweeping = sweeping.then(sweep);
  }, LEASE_MS);
  timer.unref();

  return {
    /**
     * Takes `cost` tokens or throws 429 with Retry-After and the reason: the monthly event quota
     * (until the next month) or the rate (until enough tokens exist).
     */
    async take(tenantId: string, cost: number, limits: IngestLimits): Promise<void> {
      let at = 0;
      let period = '';
      let held: Lease | undefined;
      for (;;) {
        at = Date.now();
        period = monthPeriod(at);
        held = leases.get(tenantId);
        if (held && (held.until <= at || held.period !== period)) {
          leases.delete(tenantId);
          owe(tenantId, held.period, held.tokens);
          held = undefined;
        }
        if (held && held.tokens >= cost) {
          held.tokens -= cost;
          return;
        }
        usedUp(tenantId, at, period, limits.eventsPerMonth);
        const empty = dry.get(tenantId);
        if (empty) {
          const need = cost - (held?.tokens ?? 0);
          const have = Math.min(limits.burst, empty.available + ((at - empty.at) / 1000) * limits.ratePerSecond);
          if (have < need && cost <= limits.burst) throw rateLimited(limits.ratePerSecond, need, have);
          dry.delete(tenantId);
        }
        // One lease per tenant at a time in this process: the requests that arrive meanwhile wait
        // for it and spend its slice, instead of each queueing a transaction on the tenant's rows.
        const pending = inflight.get(tenantId);
        if (!pending) break;
        await pending;
      }
      let settled = () => {};
      inflight.set(
        tenantId,
        new Promise<void>((resolve) => {
          settled = resolve;
        }),
      );
      try {
        await leaseFor(tenantId, cost, limits, at, period, held);
      } finally {
        inflight.delete(tenantId);
        settled();
      }
    },
    /**
     * Counts `cost` events of a back-fill in the month, exactly (no lease), or throws the quota's
     * 429. The rate does not apply: imports are paced (`pace`), never refused for speed.
     */
    async reserve(tenantId: string, cost: number, eventsPerMonth: number | null): Promise<void> {
      const at = Date.now();
      usedUp(tenantId, at, monthPeriod(at), eventsPerMonth);
      const back = takeOwed(tenantId);
      let answer: Answer;
      try {
        answer = await lease(tenantId, cost, cost, { eventsPerMonth }, back, at);
      } catch (err) {
        restoreOwed(tenantId, back);
        if (eventsPerMonth !== null) {
          logger.warn({ err }, 'monthly event count unavailable; refusing this import chunk for now');
          throw countUnavailable();
        }
        logger.warn({ err }, 'monthly event count unavailable; this import chunk is not counted');
        return;
      }
      if (answer.granted < cost && eventsPerMonth !== null) refuseMonth(tenantId, at, eventsPerMonth);
    },
    /** Events taken but not stored (refused by the tracking plan, or Kafka was down) are not counted. */
    refund(tenantId: string, events: number): void {
      keep(tenantId, events, monthPeriod(Date.now()));
    },
    /** Back-fills are paced per process (see RateLimiter.pace): they wait, they are never refused. */
    pace: fallback.pace,
    /** Gives every unspent lease back to the month's count (on shutdown). */
    async stop(): Promise<void> {
      clearInterval(timer);
      for (const lease of leases.values()) lease.until = 0;
      await sweeping;
      await sweep();
    },
  };
}
export type SharedRateLimiter = ReturnType<typeof createSharedRateLimiter>;
