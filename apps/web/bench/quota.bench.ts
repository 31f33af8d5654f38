// npm run bench:quota — what the monthly event quota costs ingestion's limiter (decision 039).
// Two limiters (as two web processes would have) against the real Postgres take one event per
// request, 16 requests at a time each, for a few seconds per case, side by side in one run:
//   A. no plan: every event still counted in the month (leases of 5% of the rate)
//   B. a plan with a monthly quota far from used up (the same leases)
//   C. a plan whose quota is four leases: leases shrink to an eighth of what is left as it runs
//      out (more transactions per event), then the used-up month is refused from memory
//   D. a used-up quota: refusals from memory (a transaction per process per second)
// Prints takes/s per case and the ratio to A, and checks each case's count equals what it admitted.
import { createDb, usageCounters, withTenant } from '@tripwire/db';
import { monthPeriod } from '@tripwire/rules';
import { and, eq } from 'drizzle-orm';
import { createSharedRateLimiter } from '../src/api/bucket-rate-limit.ts';
import { createRateLimiter } from '../src/api/rate-limit.ts';
import { createLogger } from '../src/logger.ts';
import { assignPlan, createPlan } from '../src/services/plans.ts';
import { createTenant } from '../src/services/tenants.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONCURRENCY = 16;
/** A lease is 5% of the rate: 5,000 events here. */
const RATE = 100_000;

const { db, close } = createDb({ connectionString: process.env.DATABASE_URL as string, max: 20 });
const logger = createLogger((process.env.BENCH_LOG as 'warn') ?? 'silent');
const limiters = [0, 1].map(() => createSharedRateLimiter(db, createRateLimiter(), logger));

async function tenantFor(eventsPerMonth: number | null) {
  const t = await createTenant(db, { name: 'bench quota', ingestRatePerSecond: RATE, ingestBurst: RATE });
  if (eventsPerMonth !== null) {
    const plan = `bench${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    await createPlan(db, plan, { eventsPerMonth });
    await assignPlan(db, t.tenantId, plan);
  }
  return t.tenantId;
}

async function counted(tenantId: string) {
  const [row] = await withTenant(db, tenantId, (tx) =>
    tx
      .select({ count: usageCounters.count })
      .from(usageCounters)
      .where(
        and(
          eq(usageCounters.tenantId, tenantId),
          eq(usageCounters.metric, 'events'),
          eq(usageCounters.period, monthPeriod(Date.now())),
        ),
      ),
  );
  return Number(row?.count ?? 0);
}

async function run(name: string, eventsPerMonth: number | null) {
  const tenantId = await tenantFor(eventsPerMonth);
  const limits = { ratePerSecond: RATE, burst: RATE, eventsPerMonth };
  const until = Date.now() + SECONDS * 1000;
  let admitted = 0;
  let refused = 0;
  const worker = async (i: number) => {
    const limiter = limiters[i % 2] as (typeof limiters)[number];
    while (Date.now() < until) {
      try {
        await limiter.take(tenantId, 1, limits);
        admitted++;
      } catch {
        refused++;
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: 2 * CONCURRENCY }, (_, i) => worker(i)));
  const seconds = (performance.now() - started) / 1000;
  // Unspent leases go back within a second or two.
  let count = await counted(tenantId);
  for (let i = 0; i < 30 && count !== admitted; i++) {
    await new Promise((r) => setTimeout(r, 200));
    count = await counted(tenantId);
  }
  return { name, perSecond: admitted / seconds, admitted, refused, count };
}

await run('warm-up', null);
const results = [
  await run('A. no plan (counted)', null),
  await run('B. quota far from used up', 1_000_000_000),
  await run('C. the last 4 leases of a quota', 4 * Math.ceil(RATE * 0.05)),
  await run('D. a used-up quota (all refused)', 0),
];
const base = results[0]?.perSecond ?? 1;
console.log(`limiter takes of 1 event, 2 limiters × ${CONCURRENCY} at once, ${SECONDS} s per case`);
for (const r of results)
  console.log(
    `${r.name.padEnd(34)} ${Math.round(r.perSecond).toLocaleString('en-US').padStart(9)} takes/s  ×${(r.perSecond / base).toFixed(2)}  admitted ${r.admitted}, refused ${r.refused}, counted ${r.count}${r.count === r.admitted ? '' : '  (MISMATCH)'}`,
  );
for (const l of limiters) await l.stop();
await close();
