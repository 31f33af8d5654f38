// wait.delay lateness: seed many runs parked at a wait.delay (through Kafka and the engine), then
// measure how late each one's webhook arrives against the time its wait was scheduled to end.
import { type Database, runs, withTenant } from '@tripwire/db';
import { and, eq, sql } from 'drizzle-orm';
import { actionIdFor } from '../src/action-id.ts';
import { track } from '../test/fixtures.ts';
import type { BenchKafka } from './kafka-tools.ts';
import type { BenchReceiver } from './receiver.ts';
import type { BenchTenant } from './seed.ts';
import { percentiles, waitFor } from './stats.ts';

/**
 * webhook-id of each seeded run's delayed webhook -> when its wait was due (ms since epoch) and, once
 * resumed, when the resume worker took it up (the path entry it recorded for the wait).
 */
async function runTimes(db: Database, tenants: BenchTenant[]) {
  const times = new Map<string, { due: number; resumed?: number }>();
  for (const t of tenants) {
    const rows = await withTenant(db, t.tenantId, (tx) =>
      tx
        .select({
          id: runs.id,
          until: sql<string>`${runs.path}->1->'detail'->>'until'`,
          resumed: sql<string | null>`${runs.path}->2->>'at'`,
        })
        .from(runs)
        .where(and(eq(runs.tenantId, t.tenantId), eq(runs.workflowId, t.workflows.delayed as string))),
    );
    for (const r of rows)
      times.set(actionIdFor(r.id, 'hook'), {
        due: Date.parse(r.until),
        ...(r.resumed ? { resumed: Date.parse(r.resumed) } : {}),
      });
  }
  return times;
}

export async function measureDelays(opts: {
  kafka: BenchKafka;
  db: Database;
  topic: string;
  groupId: string;
  tenants: BenchTenant[];
  receiver: BenchReceiver;
  count: number;
}) {
  const { kafka, db, topic, groupId, tenants, receiver, count } = opts;
  // Round-robin over the tenants, whose delays differ (see bench-env.ts).
  const messages = Array.from({ length: count }, (_, i) => {
    const t = tenants[i % tenants.length] as BenchTenant;
    return track(t.tenantId, `d${i}`, 'bench_delayed', {});
  });
  const seedStart = performance.now();
  await kafka.produce(topic, messages);
  const ends = await kafka.end(topic);
  await kafka.untilCommitted(groupId, topic, ends, 300_000, 200);
  const seedSeconds = (performance.now() - seedStart) / 1000;
  const seededAt = Date.now();

  const seeded = await runTimes(db, tenants);
  let firstDue = Number.POSITIVE_INFINITY;
  let lastDue = 0;
  const perSecond = new Map<number, number>();
  for (const { due } of seeded.values()) {
    firstDue = Math.min(firstDue, due);
    lastDue = Math.max(lastDue, due);
    perSecond.set(Math.floor(due / 1000), (perSecond.get(Math.floor(due / 1000)) ?? 0) + 1);
  }
  const arrived = () => receiver.at('/delayed').length;
  await waitFor(() => arrived() >= seeded.size, Math.max(0, lastDue - Date.now()) + 60_000, 250);

  const seen = new Set<string>();
  const lateness: number[] = [];
  for (const d of receiver.at('/delayed')) {
    const run = seeded.get(d.webhookId);
    if (run === undefined || seen.has(d.webhookId)) continue;
    seen.add(d.webhookId);
    lateness.push(d.at - run.due);
  }
  // Where the time goes: due -> the resume worker took the run up, and from there -> webhook receipt.
  const resumed = await runTimes(db, tenants);
  const toResume: number[] = [];
  const toHook: number[] = [];
  for (const d of receiver.at('/delayed')) {
    const run = resumed.get(d.webhookId);
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
    peakDuePerSecond: Math.max(...perSecond.values()),
    received: seen.size,
    duplicates: arrived() - seen.size,
    lateness: percentiles(lateness),
    toResume: percentiles(toResume),
    toHook: percentiles(toHook),
  };
}
