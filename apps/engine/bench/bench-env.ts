// Imported first by the bench: the dev database and the local broker unless told otherwise, set
// before ../test/fixtures.ts reads them at import time.
process.env.DATABASE_URL ??= 'postgres://tripwire_app:tripwire_app@127.0.0.1:5432/tripwire';
process.env.KAFKA_BROKERS ??= '127.0.0.1:9092';
// Only for the engine's private pg-boss schema: the app role may not create schemas in the dev database.
process.env.DATABASE_ADMIN_URL ??= 'postgres://postgres@127.0.0.1:5432/tripwire';

const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

/** Sizes and rates; the defaults are the task's, the env overrides are for quick iterations. */
export const config = {
  databaseUrl: process.env.DATABASE_URL,
  adminUrl: process.env.DATABASE_ADMIN_URL,
  brokers: process.env.KAFKA_BROKERS.split(','),
  tenants: num('BENCH_TENANTS', 100),
  usersPerTenant: num('BENCH_USERS_PER_TENANT', 2000),
  events: num('BENCH_EVENTS', 500_000),
  partitions: num('BENCH_PARTITIONS', 6),
  pingRate: num('BENCH_PING_RATE', 500),
  pingSeconds: num('BENCH_PING_SECONDS', 20),
  /**
   * Phase 4b, waits spread over two minutes: wait.delay of tenant i (of n) is base + floor(i * spread
   * / n) seconds, and the delayed events go round-robin over the tenants, so whichever moment the
   * engine seeds a run, its due time lands in one of `spread` seconds (plus the seeding time at the
   * edges). Latency at BENCH_PING_RATE is measured while they come due.
   */
  delayedRuns: num('BENCH_DELAYED_RUNS', 100_000),
  delayBaseSeconds: num('BENCH_DELAY_BASE_SECONDS', 40),
  delaySpreadSeconds: num('BENCH_DELAY_SPREAD_SECONDS', 110),
  /** Phase 4a, a burst: as many waits falling due within the seeding time plus `spread` seconds. */
  burstRuns: num('BENCH_BURST_RUNS', 100_000),
  burstBaseSeconds: num('BENCH_BURST_BASE_SECONDS', 40),
  burstSpreadSeconds: num('BENCH_BURST_SPREAD_SECONDS', 10),
  cpuProfile: process.env.BENCH_CPU_PROF === '1',
  /** Extra node flags for the engine child, for diagnostics (e.g. `--import ./trace.mjs`). */
  engineNodeArgs: (process.env.BENCH_ENGINE_NODE_ARGS ?? '').split(' ').filter(Boolean),
  /** The engine's entry point relative to apps/engine: the bundle, or `src/main.ts` for diagnostics. */
  engineEntry: process.env.BENCH_ENGINE_ENTRY ?? 'dist/main.js',
  /** Phase 1d, two engine processes on one topic (BENCH_TWO_ENGINES=0 skips it). */
  twoEngines: process.env.BENCH_TWO_ENGINES !== '0',
  /**
   * Run the event history archiver inside the measured engine (BENCH_ARCHIVER=1). Off by default: the
   * figures are the event path's, and at volume the archiver runs as its own process (decision 036);
   * on two cores it takes CPU from the engine either way.
   */
  archiver: process.env.BENCH_ARCHIVER === '1',
  /** Stop after the throughput run (quick iterations on the engine). */
  throughputOnly: process.env.BENCH_THROUGHPUT_ONLY === '1',
  /** Only the waits: phases 4a and 4b on an engine that consumed nothing else (no throughput runs). */
  waitsOnly: process.env.BENCH_WAITS_ONLY === '1',
};
