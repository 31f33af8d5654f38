import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { engineSuite } from '../test/engine-suite.ts';
import { kafka } from '../test/fixtures.ts';
import { runScenario } from '../test/parity/harness.ts';
import { scenarios } from '../test/parity/scenario.ts';

// The engine and the editor's test run / replays run the same node steps; this holds them to it.
// Random workflows over every built-in node type (branches, joins, both waits, counters, caps,
// actions with onlyIf) and random event sequences for several users go through the real engine
// (Kafka, Postgres, pg-boss, HTTP) and through the in-memory replay: every run must take the same
// path with the same outputs, end in the same status and send the same actions.
// CI runs PARITY_RUNS (default 2) scenarios; `npm run test:parity -w @tripwire/engine` runs many.
const RUNS = Number(process.env.PARITY_RUNS ?? 2);
const SEED = process.env.PARITY_SEED === undefined ? undefined : Number(process.env.PARITY_SEED);

const s = engineSuite('parity', { engine: {} });
const sorted = <T>(m: Map<string, T>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1));

describe('parity: engine vs replay (real Kafka and Postgres)', () => {
  it(
    'takes the same path, outputs and actions for every run',
    async () => {
      const topic = await kafka.createTopic('parity-out', 1);
      const totals = { scenarios: 0, runs: 0, actions: 0 };
      await fc.assert(
        fc.asyncProperty(scenarios({ url: s.receiver.url, topic }, { workflows: 4, ticks: 6 }), async (scenario) => {
          const r = await runScenario(scenario, { db: s.db, t: s.t, receiver: s.receiver, topic });
          try {
            expect(sorted(r.actual)).toEqual(sorted(r.expected));
          } catch (error) {
            console.error(`parity difference (tenant ${r.tenantId}):\n${JSON.stringify(scenario, null, 1)}`);
            throw error;
          }
          totals.scenarios++;
          totals.runs += r.runs;
          totals.actions += r.actions;
        }),
        { numRuns: RUNS, endOnFailure: true, ...(SEED !== undefined ? { seed: SEED } : {}) },
      );
      console.log(`parity: ${totals.scenarios} scenarios, ${totals.runs} runs, ${totals.actions} actions, all equal`);
      expect(totals.scenarios).toBe(RUNS);
    },
    RUNS * 120_000,
  );
});
