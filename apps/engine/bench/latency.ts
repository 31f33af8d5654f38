// Latency at a steady rate: bench_ping events, each starting a run whose webhook echoes the time the
// event was handed to the producer; open loop, so a stalled engine shows up as latency, not as a lower rate.
import { type Database, runs, withTenant } from '@tripwire/db';
import { and, eq } from 'drizzle-orm';
import { actionIdFor } from '../src/action-id.ts';
import { track } from '../test/fixtures.ts';
import type { BenchKafka } from './kafka-tools.ts';
import type { BenchReceiver } from './receiver.ts';
import type { BenchTenant } from './seed.ts';
import { percentiles, sleep, waitFor } from './stats.ts';

/** webhook-id of each ping run's webhook -> when its batch transaction started (runs.started_at). */
async function runStarts(db: Database, tenants: BenchTenant[]) {
  const started = new Map<string, number>();
  for (const t of tenants) {
    const rows = await withTenant(db, t.tenantId, (tx) =>
      tx
        .select({ id: runs.id, startedAt: runs.startedAt })
        .from(runs)
        .where(and(eq(runs.tenantId, t.tenantId), eq(runs.workflowId, t.workflows.ping as string))),
    );
    for (const r of rows) started.set(actionIdFor(r.id, 'pong'), r.startedAt.getTime());
  }
  return started;
}

export async function measureLatency(opts: {
  kafka: BenchKafka;
  db: Database;
  topic: string;
  tenants: BenchTenant[];
  receiver: BenchReceiver;
  rate: number;
  seconds: number;
}) {
  const { kafka, db, topic, tenants, receiver, rate, seconds } = opts;
  const total = rate * seconds;
  const before = receiver.at('/ping').length;
  let sent = 0;
  let failed = 0;
  const started = performance.now();
  for (let ticks = 0; sent < total && ticks < seconds * 200 + 1000; ticks++) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate));
    const messages = [];
    for (; sent < due; sent++) {
      const tenantId = (tenants[sent % tenants.length] as BenchTenant).tenantId;
      const { key, value } = track(tenantId, `p${sent % 1000}`, 'bench_ping', { sentAt: Date.now() });
      messages.push({ key, value });
    }
    if (messages.length > 0)
      void kafka.producer.send({ topic, acks: -1, messages }).catch(() => {
        failed += messages.length;
      });
    await sleep(5);
  }
  const produceSeconds = (performance.now() - started) / 1000;
  await waitFor(() => receiver.at('/ping').length - before >= total - failed, 30_000);
  const hooks = receiver.at('/ping').slice(before);
  const latency = percentiles(hooks.map((h) => h.at - (h.sentAt ?? Number.NaN)));
  // Where the time goes: produce -> the run's transaction began, and from there -> webhook receipt.
  const runStartedAt = await runStarts(db, tenants);
  const toRun: number[] = [];
  const toHook: number[] = [];
  for (const h of hooks) {
    const at = runStartedAt.get(h.webhookId);
    if (at === undefined || h.sentAt === undefined) continue;
    toRun.push(at - h.sentAt);
    toHook.push(h.at - at);
  }
  return {
    total,
    failed,
    produceSeconds,
    received: hooks.length,
    latency,
    toRun: percentiles(toRun),
    toHook: percentiles(toHook),
  };
}
