// npm run bench:plan — what the tracking plan costs ingestion per event (no infrastructure needed).
// A plan of 500 events × 40 properties (the largest a workspace may declare), loaded as ingestion
// does (a validator is compiled when its event first arrives: timed on the first batch); then batches of 100 track events (20 properties each, a quarter
// breaking the plan) through applyPlan in each mode. Prints the compile time and µs per event.
import type { PlanEvent, TrackingPlan } from '@tripwire/rules';
import type { ValidMessage } from '../src/ingest/messages.ts';
import { applyPlan, compilePlan } from '../src/ingest/tracking-plan-check.ts';

const EVENTS = 500;
const PROPS = 40;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2_000);
const types = ['string', 'number', 'integer', 'boolean'] as const;

const events: PlanEvent[] = Array.from({ length: EVENTS }, (_, e) => ({
  name: `Event ${e}`,
  allowOtherProperties: e % 2 === 0,
  properties: Array.from({ length: PROPS }, (_, p) => ({
    name: `prop${p}`,
    type: types[p % types.length] as PlanEvent['properties'][number]['type'],
    required: p < 3,
    ...(p % types.length === 0 && p < 20 ? { enum: ['a', 'b', 'c', 'd'] } : {}),
  })),
}));
const valueFor = (p: number, bad: boolean) => (bad ? 'wrong' : ['a', 12.5, 7, true][p % types.length]);
const batch: ValidMessage[] = Array.from({ length: 100 }, (_, i) => {
  const bad = i % 4 === 0;
  const properties = Object.fromEntries(
    Array.from({ length: 20 }, (_, p) => [`prop${p}`, valueFor(p, bad && p === 1)]),
  );
  return { type: 'track', userId: `u${i}`, event: `Event ${i % EVENTS}`, properties } as unknown as ValidMessage;
});

const t0 = performance.now();
const compiled = Object.fromEntries(
  (['flag', 'drop', 'reject'] as const).map((mode) => [mode, compilePlan({ mode, events } satisfies TrackingPlan)]),
);
console.log(`load a plan of ${EVENTS} events × ${PROPS} properties: ${((performance.now() - t0) / 3).toFixed(1)} ms`);
const t1 = performance.now();
applyPlan(compiled.flag, batch);
console.log(
  `first batch (compiles its ${batch.length} distinct events' validators): ${(performance.now() - t1).toFixed(0)} ms, ${((performance.now() - t1) / batch.length).toFixed(2)} ms per event name`,
);

for (const mode of ['flag', 'drop', 'reject'] as const) {
  const plan = compiled[mode];
  for (let i = 0; i < 50; i++) applyPlan(plan, batch); // warm-up
  const start = performance.now();
  let flagged = 0;
  for (let r = 0; r < ROUNDS; r++) flagged += applyPlan(plan, batch).flagged.length;
  const us = ((performance.now() - start) * 1000) / (ROUNDS * batch.length);
  console.log(
    `${mode.padEnd(6)}: ${us.toFixed(2)} µs per event (20 properties, 1 in 4 off-plan; ${flagged / ROUNDS} flagged per batch)`,
  );
}
