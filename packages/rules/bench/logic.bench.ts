// Evaluations per second of compileLogic vs json-logic-js over the same 500 different rules and
// 300 contexts, warm, in one process, with interleaved rounds so neither side gets a quieter machine.
// A third contender is a yardstick: the same rules hand-written as plain JavaScript (plain-js.ts),
// i.e. how fast V8 runs these conditions with no JSON Logic semantics at all.
// Run: npm run bench -w @tripwire/rules
import jsonLogic from 'json-logic-js';
import { generateSource } from '../src/logic/codegen.ts';
import { compileLogic } from '../src/logic/compile.ts';
import { defaultOperators } from '../src/logic/operators.ts';
import { plainFunction } from './plain-js.ts';
import { countShapes, generateContexts, generateRules } from './rule-gen.ts';

const RULES = 500;
const CONTEXTS = 300;
const PER_RULE = 30; // contexts evaluated per rule in one pass, rotating so every pairing is used
// Discarded, interleaved like the measured rounds. One round is not enough: TurboFan is still
// compiling the 500 rule functions after it, and the first measured round ran at a quarter speed.
const WARMUP_ROUNDS = 3;
const ROUNDS = 7;
const ROUND_MS = 400;

const rules = generateRules(RULES, 20_240_601);
const contexts = generateContexts(CONTEXTS, 7);
const compiled = rules.map((rule) => compileLogic(rule));
// The yardstick: the same rules as hand-written JavaScript without JSON Logic's semantics.
const plain = rules.map((rule) => plainFunction(rule));
const reference = (rule: unknown, data: unknown): unknown => jsonLogic.apply(rule as jsonLogic.RulesLogic, data);

// Sanity: both engines agree on every pairing before anything is timed.
let mismatches = 0;
for (let i = 0; i < RULES; i++) {
  for (const data of contexts) {
    if (JSON.stringify(compiled[i]?.(data)) !== JSON.stringify(reference(rules[i], data))) mismatches++;
  }
}
if (mismatches > 0) throw new Error(`compileLogic and json-logic-js disagree on ${mismatches} evaluations`);
let plainAgrees = 0;
for (let i = 0; i < RULES; i++) {
  for (const data of contexts) if (!plain[i]?.(data) === !reference(rules[i], data)) plainAgrees++;
}

type Pass = (offset: number) => number;

// Rule i is paired with contexts (offset + i + j * STRIDE) % CONTEXTS, j < PER_RULE, so over the
// rounds every pairing is used. The contexts list is extended by its own start, so those indices
// are consecutive steps of STRIDE with no remainder per evaluation; both passes walk it the same
// way and differ only in the call they make.
const STRIDE = 7;
const SPAN = PER_RULE * STRIDE;
const extended = Array.from({ length: CONTEXTS + SPAN }, (_, k) => contexts[k % CONTEXTS]);

const compiledPass: Pass = (offset) => {
  let hits = 0;
  let start = offset % CONTEXTS;
  for (let i = 0; i < RULES; i++) {
    const fn = compiled[i] as (d: unknown) => unknown;
    for (let c = start; c < start + SPAN; c += STRIDE) if (fn(extended[c])) hits++;
    if (++start === CONTEXTS) start = 0;
  }
  return hits;
};

// A copy of compiledPass, so that each pass has its own call site and feedback.
const plainPass: Pass = (offset) => {
  let hits = 0;
  let start = offset % CONTEXTS;
  for (let i = 0; i < RULES; i++) {
    const fn = plain[i] as (d: unknown) => unknown;
    for (let c = start; c < start + SPAN; c += STRIDE) if (fn(extended[c])) hits++;
    if (++start === CONTEXTS) start = 0;
  }
  return hits;
};

const referencePass: Pass = (offset) => {
  let hits = 0;
  let start = offset % CONTEXTS;
  for (let i = 0; i < RULES; i++) {
    const rule = rules[i];
    for (let c = start; c < start + SPAN; c += STRIDE) if (reference(rule, extended[c])) hits++;
    if (++start === CONTEXTS) start = 0;
  }
  return hits;
};

function round(pass: Pass): { evals: number; ms: number; hits: number } {
  let passes = 0;
  let hits = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    hits += pass(passes);
    passes++;
    elapsed = performance.now() - start;
  } while (elapsed < ROUND_MS);
  return { evals: passes * RULES * PER_RULE, ms: elapsed, hits };
}

const perSecond = (t: { evals: number; ms: number }): number => (t.evals / t.ms) * 1000;
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const millions = (n: number): string => `${(n / 1e6).toFixed(2)}M`;

for (let r = 0; r < WARMUP_ROUNDS; r++) {
  round(referencePass);
  round(compiledPass);
  round(plainPass);
}

const totals = { compiled: { evals: 0, ms: 0 }, reference: { evals: 0, ms: 0 }, plain: { evals: 0, ms: 0 } };
let checksum = 0;
const perRound: string[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const a = round(referencePass);
  const b = round(compiledPass);
  const c = round(plainPass);
  totals.reference.evals += a.evals;
  totals.reference.ms += a.ms;
  totals.compiled.evals += b.evals;
  totals.compiled.ms += b.ms;
  totals.plain.evals += c.evals;
  totals.plain.ms += c.ms;
  checksum += a.hits + b.hits + c.hits;
  perRound.push(`${millions(perSecond(b))}/${millions(perSecond(a))}`);
}

const compiledRate = perSecond(totals.compiled);
const referenceRate = perSecond(totals.reference);
const functions = new Set(rules.map((rule) => generateSource(rule, defaultOperators).source)).size;

console.log(
  `rules: ${RULES} different (${functions} generated functions), contexts: ${CONTEXTS} (${countShapes(contexts)} object shapes)`,
);
console.log(`rounds: ${WARMUP_ROUNDS} warm-up + ${ROUNDS} measured, interleaved (checksum ${checksum})`);
console.log(`per round, compileLogic/json-logic-js evals/s: ${perRound.join(' ')}`);
console.log(
  `json-logic-js        ${fmt(referenceRate).padStart(14)} evals/s  ${(1e9 / referenceRate).toFixed(0)} ns/eval`,
);
console.log(
  `compileLogic         ${fmt(compiledRate).padStart(14)} evals/s  ${(1e9 / compiledRate).toFixed(0)} ns/eval`,
);
console.log(`ratio                ${(compiledRate / referenceRate).toFixed(1)}x`);
const plainRate = perSecond(totals.plain);
console.log(
  `yardstick: the same rules hand-written as plain JavaScript, without JSON Logic semantics (bench/plain-js.ts; same truthiness as json-logic-js on ${plainAgrees.toLocaleString('en-US')} of ${(RULES * CONTEXTS).toLocaleString('en-US')} pairings)`,
);
console.log(
  `plain JavaScript     ${fmt(plainRate).padStart(14)} evals/s  ${(1e9 / plainRate).toFixed(0)} ns/eval  ${(plainRate / referenceRate).toFixed(1)}x json-logic-js; compileLogic runs at ${((compiledRate / plainRate) * 100).toFixed(0)}% of its speed`,
);

// For comparison with published single-rule figures: the first rule alone, same contexts.
const oneRule = rules[0];
const oneFn = compiled[0] as (d: unknown) => unknown;
const loops = (evaluate: (d: unknown) => unknown): number => {
  for (let i = 0; i < 2000; i++) for (const data of contexts) evaluate(data);
  let evals = 0;
  const start = performance.now();
  while (performance.now() - start < ROUND_MS) {
    for (const data of contexts) evaluate(data);
    evals += CONTEXTS;
  }
  return (evals / (performance.now() - start)) * 1000;
};
const oneReference = loops((d) => reference(oneRule, d));
const oneCompiled = loops(oneFn);
console.log(
  `one rule: json-logic-js ${fmt(oneReference)} evals/s, compileLogic ${fmt(oneCompiled)} evals/s, ratio ${(oneCompiled / oneReference).toFixed(1)}x`,
);
