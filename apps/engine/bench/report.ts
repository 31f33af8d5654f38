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
export type DelayResult = Omit<Awaited<ReturnType<typeof measureDelays>>, 'during'> & { rss: number };

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
  return `Workload: ${config.tenants} tenants, ${config.tenants * 11} published workflows, ${fmt(total)} events on ${config.partitions} partitions
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

function seededLine(d: DelayResult) {
  return `seeded ${fmt(d.seeded)} runs through Kafka in ${fmt(d.seedSeconds, 1)} s; all pending before the first was due: ${d.pendingBeforeFirstDue ? 'yes' : 'no'} (first due ${fmt(d.firstDueAfterSeedSeconds, 1)} s after seeding)
   due times spread over ${fmt(d.windowSeconds, 1)} s: ${fmt(d.due.mean, 0)} due/s on average, at most ${fmt(d.due.peak)} in one second`;
}

function latenessLines(d: DelayResult, targetMs: number) {
  const { p50, p95, p99, max } = d.lateness;
  return `received ${fmt(d.received)} of ${fmt(d.seeded)} (${d.duplicates} duplicates)
   lateness p50 ${fmt(p50, 0)} ms, p95 ${fmt(p95, 0)} ms, p99 ${fmt(p99, 0)} ms, max ${fmt(max, 0)} ms   (target p99 < ${fmt(targetMs / 1000)} s: ${verdict(p99 < targetMs)})
   of which due -> resumed (the run's path): p50 ${fmt(d.toResume.p50, 0)} ms, p95 ${fmt(d.toResume.p95, 0)} ms, p99 ${fmt(d.toResume.p99, 0)} ms; resumed -> webhook receipt: p50 ${fmt(d.toHook.p50, 0)} ms, p95 ${fmt(d.toHook.p95, 0)} ms, p99 ${fmt(d.toHook.p99, 0)} ms`;
}

function burstSection(d: DelayResult) {
  const behind = d.resumesWhileBehind;
  // The worker's pace shows only while it is behind; if it never was, it kept up with the due times.
  const capacity = behind.seconds > 0 ? behind.rate : d.resumes.peak;
  return `4a. Waits falling due together: wait.delay lateness, webhook receipt - scheduled end of the wait
   ${seededLine(d)}
   resumed ${fmt(d.resumedRuns)}: ${fmt(d.resumes.mean, 0)}/s over ${fmt(d.resumes.spanSeconds, 1)} s, busiest second ${fmt(d.resumes.peak)}; ${
     behind.seconds > 0
       ? `${fmt(behind.rate, 0)}/s over the ${behind.seconds} s the worker was more than 1,000 behind`
       : 'never more than 1,000 behind (its pace followed the due times)'
   }
   resumes/s: ${fmt(capacity, 0)}   (target >= 5,000: ${verdict(capacity >= 5000)})
   webhooks: ${fmt(d.webhooks.mean, 0)}/s on average, busiest second ${fmt(d.webhooks.peak)}
   ${latenessLines(d, 5000)}`;
}

function spreadSection(d: DelayResult, l?: LatencyResult) {
  return `4b. Waits spread over two minutes, with latency at ${config.pingRate} matched events/s while they come due (one run)
   ${seededLine(d)}
   resumed ${fmt(d.resumedRuns)}, busiest second ${fmt(d.resumes.peak)}
   ${latenessLines(d, 1000)}${
     l
       ? `\n   while they came due, produce -> webhook receipt of the ${config.pingRate}/s stream:\n${latencySection(l).split('\n').slice(1).join('\n')}`
       : ''
   }`;
}

export function report(r: {
  throughput?: ThroughputResult;
  latency?: LatencyResult;
  burst?: DelayResult;
  spread?: DelayResult;
  spreadLatency?: LatencyResult;
  problems: string[];
  logFile: string;
  /** Load average over 1, 5 and 15 minutes at the start and the end (the machine is shared). */
  load: { start: number[]; end: number[] };
}) {
  const rss = [r.throughput?.rss ?? 0, r.latency?.rss ?? 0, r.burst?.rss ?? 0, r.spread?.rss ?? 0];
  const maxRss = Math.max(...rss);
  const loads = (l: number[]) => l.map((x) => fmt(x, 2)).join(' ');
  const sections = [
    r.throughput && throughputSection(r.throughput),
    `2. Engine resident memory (VmRSS, sampled every 200 ms)
   max during throughput ${r.throughput ? mb(rss[0] ?? 0) : '-'}, latency ${r.latency ? mb(rss[1] ?? 0) : '-'}, waits ${mb(Math.max(rss[2] ?? 0, rss[3] ?? 0))}
   max overall: ${mb(maxRss)}   (target <= 400 MB: ${verdict(maxRss <= MB400)})`,
    r.latency && latencySection(r.latency),
    r.burst && burstSection(r.burst),
    r.spread && spreadSection(r.spread, r.spreadLatency),
  ].filter(Boolean);
  return `
Engine benchmark (engine child process + bench on one ${process.env.NPROC ?? '2'}-core machine; real Kafka, Postgres, pg-boss, HTTP)
load average (1/5/15 min): ${loads(r.load.start)} at the start, ${loads(r.load.end)} at the end
${sections.join('\n\n')}

engine error/fatal log lines: ${r.problems.length}${r.problems.length ? `\n${r.problems.slice(0, 5).join('\n')}` : ''}
engine log: ${r.logFile}
`;
}
