// The printed figures, with each target and whether this run met it.
import { config } from './bench-env.ts';
import type { measureDelays } from './delays.ts';
import type { StreamStats } from './events.ts';
import type { measureLatency } from './latency.ts';
import { fmt, mb, verdict } from './stats.ts';
import type { measureCeiling, measureEngine } from './throughput.ts';

export interface ThroughputResult {
  stats: StreamStats;
  ceiling: Awaited<ReturnType<typeof measureCeiling>> & { rounds: number[] };
  parseOnly: Awaited<ReturnType<typeof measureCeiling>> & { rounds: number[] };
  run: Omit<Awaited<ReturnType<typeof measureEngine>>, 'engine'>;
  rss: number;
  started: number;
  consumed: number;
  deadLettered: number;
  matched: number;
  webhooks: number;
  /** The engine process's CPU time (user + system) when its offsets reached the end, start-up included. */
  cpuSeconds: number;
  /** Phase 1d: the same workload through two engine processes in one group. */
  twoEngines?: { seconds: number; events: number };
}
export type LatencyResult = Awaited<ReturnType<typeof measureLatency>> & { rss: number };
export type DelayResult = Awaited<ReturnType<typeof measureDelays>> & { rss: number };

const MB400 = 400 * 1024 * 1024;

const rounds = (seconds: number[]) => seconds.map((s) => fmt(s, 2)).join(', ');

function throughputSection(t: ThroughputResult) {
  const { stats, ceiling, parseOnly, run } = t;
  const total = stats.total;
  const pct = (n: number) => `${fmt((n / total) * 100, 2)}%`;
  const ceilingRate = total / ceiling.seconds;
  const parseRate = total / parseOnly.seconds;
  const engineRate = total / run.seconds;
  const spawnRate = total / run.fromSpawnSeconds;
  return `Workload: ${config.tenants} tenants, ${config.tenants * 10} published workflows, ${fmt(total)} events on ${config.partitions} partitions
  routed by some workflow ${pct(stats.routed)}, start a run ${pct(stats.starts)} (${fmt(stats.starts)}), identify ${pct(stats.identifies)}, malformed ${stats.malformed}, the rest unrouted

1. Throughput (same topic, own consumer groups, first fetched batch -> committed offsets at the end)
   ceiling, no-op kafkajs eachBatch consumer: ${fmt(ceiling.seconds, 2)} s  ${fmt(ceilingRate, 0)} events/s   (median of ${rounds(ceiling.rounds)} s)
   the same, JSON.parse of each message only: ${fmt(parseOnly.seconds, 2)} s  ${fmt(parseRate, 0)} events/s   (median of ${rounds(parseOnly.rounds)} s: ${fmt((parseRate / ceilingRate) * 100, 1)}% of the ceiling)
   engine child process:                      ${fmt(run.seconds, 2)} s  ${fmt(engineRate, 0)} events/s   (history archiver ${config.archiver ? 'in the same process' : 'not running: BENCH_ARCHIVER=1 adds it'})
   engine / ceiling:                           ${fmt((engineRate / ceilingRate) * 100, 1)}%   (target >= 50%: ${verdict(engineRate >= ceilingRate / 2)})
   engine events/s:                            ${fmt(engineRate, 0)}   (target >= 30,000: ${verdict(engineRate >= 30_000)})
${t.twoEngines ? `   2 engine processes, one group, same size:  ${fmt(t.twoEngines.seconds, 2)} s  ${fmt(t.twoEngines.events / t.twoEngines.seconds, 0)} events/s   (${fmt(t.twoEngines.events / t.twoEngines.seconds / engineRate, 2)}x one engine)\n` : ''}   engine from spawn, start-up included:       ${fmt(run.fromSpawnSeconds, 2)} s  ${fmt(spawnRate, 0)} events/s   (ready ${fmt(run.readySeconds, 2)} s, first batch ${fmt(run.firstBatchSeconds, 2)} s after spawn)
   engine CPU time, start-up included:         ${fmt(t.cpuSeconds, 2)} s   (${fmt((t.cpuSeconds * 1e6) / total, 1)} µs per event; steadier than events/s on a busy machine)
   engine counted: consumed ${fmt(t.consumed)}, matched ${fmt(t.matched)}, runs started ${fmt(t.started)} (stream: ${fmt(stats.starts)}), dead-lettered ${t.deadLettered} (stream: ${stats.malformed})
   webhooks received once the run's actions drained: ${fmt(t.webhooks)}`;
}

function latencySection(l: LatencyResult) {
  const { p50, p95, p99, max } = l.latency;
  return `3. Latency, produce -> webhook receipt, at ${config.pingRate} matched events/s for ${config.pingSeconds} s (open loop)
   produced ${fmt(l.total)} in ${fmt(l.produceSeconds, 2)} s (${l.failed} failed), webhooks received ${fmt(l.received)}
   p50 ${fmt(p50, 0)} ms, p95 ${fmt(p95, 0)} ms, p99 ${fmt(p99, 0)} ms, max ${fmt(max, 0)} ms   (target p95 < 250 ms: ${verdict(p95 < 250)})
   of which produce -> run's transaction began: p50 ${fmt(l.toRun.p50, 0)} ms, p95 ${fmt(l.toRun.p95, 0)} ms; from there -> webhook receipt: p50 ${fmt(l.toHook.p50, 0)} ms, p95 ${fmt(l.toHook.p95, 0)} ms`;
}

function delaySection(d: DelayResult) {
  const { p50, p95, p99, max } = d.lateness;
  return `4. wait.delay lateness, webhook receipt - scheduled end of the wait (resume worker -> webhook job -> HTTP)
   seeded ${fmt(d.seeded)} runs through Kafka in ${fmt(d.seedSeconds, 1)} s; all pending before the first was due: ${d.pendingBeforeFirstDue ? 'yes' : 'no'} (first due ${fmt(d.firstDueAfterSeedSeconds, 1)} s after seeding, due times spread over ${fmt(d.windowSeconds, 1)} s, at most ${fmt(d.peakDuePerSecond)} due in one second)
   received ${fmt(d.received)} of ${fmt(d.seeded)} (${d.duplicates} duplicates)
   p50 ${fmt(p50, 0)} ms, p95 ${fmt(p95, 0)} ms, p99 ${fmt(p99, 0)} ms, max ${fmt(max, 0)} ms   (target p99 < 1 s: ${verdict(p99 < 1000)})
   of which due -> resumed (the run's path): p50 ${fmt(d.toResume.p50, 0)} ms, p95 ${fmt(d.toResume.p95, 0)} ms, p99 ${fmt(d.toResume.p99, 0)} ms; resumed -> webhook receipt: p50 ${fmt(d.toHook.p50, 0)} ms, p95 ${fmt(d.toHook.p95, 0)} ms, p99 ${fmt(d.toHook.p99, 0)} ms`;
}

export function report(r: {
  throughput: ThroughputResult;
  latency?: LatencyResult;
  delays?: DelayResult;
  problems: string[];
  logFile: string;
}) {
  const rss = [r.throughput.rss, r.latency?.rss ?? 0, r.delays?.rss ?? 0];
  const maxRss = Math.max(...rss);
  return `
Engine benchmark (engine child process + bench on one ${process.env.NPROC ?? '2'}-core machine; real Kafka, Postgres, pg-boss, HTTP)
${throughputSection(r.throughput)}

2. Engine resident memory (VmRSS, sampled every 200 ms)
   max during throughput ${mb(rss[0] ?? 0)}, latency ${mb(rss[1] ?? 0)}, wait.delay ${mb(rss[2] ?? 0)}
   max overall: ${mb(maxRss)}   (target <= 400 MB: ${verdict(maxRss <= MB400)})
${r.latency ? `\n${latencySection(r.latency)}\n` : ''}${r.delays ? `\n${delaySection(r.delays)}\n` : ''}
engine error/fatal log lines: ${r.problems.length}${r.problems.length ? `\n${r.problems.slice(0, 5).join('\n')}` : ''}
engine log: ${r.logFile}
`;
}
