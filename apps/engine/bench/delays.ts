// wait.delay lateness: seed many runs parked at a wait.delay (through Kafka and the engine), then
// measure how late each one's webhook arrives against the time its wait was scheduled to end, and
// how fast the resume worker took them up.
import { type Database, runs, withTenant } from '@tripwire/db';
import { and, eq, sql } from 'drizzle-orm';
import { track } from '../test/fixtures.ts';
import type { BenchKafka } from './kafka-tools.ts';
import type { BenchReceiver } from './receiver.ts';
import type { BenchTenant } from './seed.ts';
import { percentiles, sleep, waitFor } from './stats.ts';

/** The two wait workflows of each bench tenant (see workflows.ts). */
const kinds = {
  spread: { workflow: 'delayed', event: 'bench_delayed', path: '/delayed' },
  burst: { workflow: 'burst', event: 'bench_burst', path: '/burst' },
} as const;

/**
 * The user of each seeded run (one run per user; its webhook's body names the user) -> when its wait
 * was due (ms since epoch) and, once resumed, when the resume worker took it up (the path entry it
 * recorded for the wait). The webhook-id of a resumed walk names the resume job, so the user it is.
 */
async function runTimes(db: Database, tenants: BenchTenant[], workflow: string) {
  const times = new Map<string, { due: number; resumed?: number }>();
  for (const t of tenants) {
    const rows = await withTenant(db, t.tenantId, (tx) =>
      tx
        .select({
          user: runs.userId,
          until: sql<string>`${runs.path}->1->'detail'->>'until'`,
          resumed: sql<string | null>`${runs.path}->2->>'at'`,
        })
        .from(runs)
        .where(and(eq(runs.tenantId, t.tenantId), eq(runs.workflowId, t.workflows[workflow] as string))),
    );
    for (const r of rows)
      times.set(r.user, {
        due: Date.parse(r.until),
        ...(r.resumed ? { resumed: Date.parse(r.resumed) } : {}),
      });
  }
  return times;
}

/** Events per second: the mean over the span of the times, and the busiest whole second. */
function rates(times: number[]) {
  if (times.length === 0) return { mean: 0, peak: 0, spanSeconds: 0 };
  const perSecond = new Map<number, number>();
  let first = Number.POSITIVE_INFINITY;
  let last = 0;
  for (const t of times) {
    first = Math.min(first, t);
    last = Math.max(last, t);
    perSecond.set(Math.floor(t / 1000), (perSecond.get(Math.floor(t / 1000)) ?? 0) + 1);
  }
  const spanSeconds = Math.max(1, last - first) / 1000;
  return { mean: times.length / spanSeconds, peak: Math.max(...perSecond.values()), spanSeconds };
}

/**
 * The resume rate while the worker was behind: over the whole seconds that began with more than
 * `behind` runs due and not yet resumed (so the worker, not the due times, set the pace).
 */
function saturatedRate(due: number[], resumed: number[], behind = 1000) {
  if (resumed.length === 0) return { seconds: 0, rate: 0 };
  const d = [...due].sort((a, b) => a - b);
  const r = [...resumed].sort((a, b) => a - b);
  let di = 0;
  let ri = 0;
  let seconds = 0;
  let count = 0;
  const from = Math.floor(Math.min(d[0] as number, r[0] as number) / 1000) * 1000;
  const to = (r[r.length - 1] as number) + 1000;
  for (let t = from; t < to; t += 1000) {
    while (di < d.length && (d[di] as number) < t) di++;
    while (ri < r.length && (r[ri] as number) < t) ri++;
    const startRi = ri;
    if (di - ri <= behind) continue;
    let end = ri;
    while (end < r.length && (r[end] as number) < t + 1000) end++;
    seconds++;
    count += end - startRi;
  }
  return { seconds, rate: seconds > 0 ? count / seconds : 0 };
}

export async function measureDelays<T>(opts: {
  kafka: BenchKafka;
  db: Database;
  topic: string;
  groupId: string;
  tenants: BenchTenant[];
  receiver: BenchReceiver;
  count: number;
  kind: keyof typeof kinds;
  /** Runs from the first due time for as long as the waits keep falling due (the combined run). */
  during?: (seconds: number) => Promise<T>;
}) {
  const { kafka, db, topic, groupId, tenants, receiver, count } = opts;
  const kind = kinds[opts.kind];
  // Round-robin over the tenants, whose delays differ (see bench-env.ts).
  const messages = Array.from({ length: count }, (_, i) => {
    const t = tenants[i % tenants.length] as BenchTenant;
    return track(t.tenantId, `${opts.kind[0]}${i}`, kind.event, {});
  });
  const seedStart = performance.now();
  await kafka.produce(topic, messages);
  const ends = await kafka.end(topic);
  await kafka.untilCommitted(groupId, topic, ends, 300_000, 200);
  const seedSeconds = (performance.now() - seedStart) / 1000;
  const seededAt = Date.now();

  const seeded = await runTimes(db, tenants, kind.workflow);
  let firstDue = Number.POSITIVE_INFINITY;
  let lastDue = 0;
  for (const { due } of seeded.values()) {
    firstDue = Math.min(firstDue, due);
    lastDue = Math.max(lastDue, due);
  }
  const due = rates([...seeded.values()].map((r) => r.due));
  const side = opts.during
    ? (async () => {
        await sleep(Math.max(0, firstDue - Date.now()));
        return opts.during?.(Math.max(1, Math.round((lastDue - Math.max(firstDue, Date.now())) / 1000)));
      })()
    : undefined;
  const arrived = () => receiver.at(kind.path).length;
  await waitFor(() => arrived() >= seeded.size, Math.max(0, lastDue - Date.now()) + 120_000, 250);
  const sideResult = await side;

  const seen = new Set<string>();
  const lateness: number[] = [];
  for (const d of receiver.at(kind.path)) {
    const run = seeded.get(d.user ?? '');
    if (run === undefined || seen.has(d.user ?? '')) continue;
    seen.add(d.user ?? '');
    lateness.push(d.at - run.due);
  }
  // Where the time goes: due -> the resume worker took the run up, and from there -> webhook receipt.
  const resumed = await runTimes(db, tenants, kind.workflow);
  const toResume: number[] = [];
  const toHook: number[] = [];
  const resumedAt: number[] = [];
  for (const run of resumed.values()) if (run.resumed !== undefined) resumedAt.push(run.resumed);
  for (const d of receiver.at(kind.path)) {
    const run = resumed.get(d.user ?? '');
    if (run?.resumed === undefined) continue;
    toResume.push(run.resumed - run.due);
    toHook.push(d.at - run.resumed);
  }
  return {
    seeded: seeded.size,
    seedSeconds,
    pendingBeforeFirstDue: seededAt < firstDue,
    firstDueAfterSeedSeconds: (firstDue - seededAt) / 1000,
    windowSeconds: (lastDue - firstDue) / 1000,
    due,
    resumedRuns: resumedAt.length,
    resumes: rates(resumedAt),
    resumesWhileBehind: saturatedRate(
      [...resumed.values()].map((r) => r.due),
      resumedAt,
    ),
    webhooks: rates(receiver.at(kind.path).map((d) => d.at)),
    received: seen.size,
    duplicates: arrived() - seen.size,
    lateness: percentiles(lateness),
    toResume: percentiles(toResume),
    toHook: percentiles(toHook),
    during: sideResult,
  };
}
