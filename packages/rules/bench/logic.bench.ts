// Evaluations per second of compileLogic vs json-logic-js over the same 500 different rules and
// 300 contexts, warm, in one process, with interleaved rounds so neither side gets a quieter machine.
// Run: npm run bench -w @tripwire/rules
import jsonLogic from 'json-logic-js';
import { compileLogic } from '../src/logic/compile.ts';
import { generateContexts, generateRules } from './rule-gen.ts';

const RULES = 500;
const CONTEXTS = 300;
const PER_RULE = 30; // contexts evaluated per rule in one pass, rotating so every pairing is used
const ROUNDS = 7;
const ROUND_MS = 400;

const rules = generateRules(RULES, 20_240_601);
const contexts = generateContexts(CONTEXTS, 7);
const compiled = rules.map((rule) => compileLogic(rule));
const reference = (rule: unknown, data: unknown): unknown => jsonLogic.apply(rule as jsonLogic.RulesLogic, data);

// Sanity: both engines agree on every pairing before anything is timed.
let mismatches = 0;
for (let i = 0; i < RULES; i++) {
  for (const data of contexts) {
    if (JSON.stringify(compiled[i]?.(data)) !== JSON.stringify(reference(rules[i], data))) mismatches++;
  }
}
if (mismatches > 0) throw new Error(`compileLogic and json-logic-js disagree on ${mismatches} evaluations`);

type Pass = (offset: number) => number;

const compiledPass: Pass = (offset) => {
  let hits = 0;
  for (let i = 0; i < RULES; i++) {
    const fn = compiled[i] as (d: unknown) => unknown;
    for (let j = 0; j < PER_RULE; j++) if (fn(contexts[(offset + i + j * 7) % CONTEXTS])) hits++;
  }
  return hits;
};

const referencePass: Pass = (offset) => {
  let hits = 0;
  for (let i = 0; i < RULES; i++) {
    const rule = rules[i];
    for (let j = 0; j < PER_RULE; j++) if (reference(rule, contexts[(offset + i + j * 7) % CONTEXTS])) hits++;
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

// Warm-up: let both reach optimised code before measuring.
round(referencePass);
round(compiledPass);

const totals = { compiled: { evals: 0, ms: 0 }, reference: { evals: 0, ms: 0 } };
let checksum = 0;
for (let r = 0; r < ROUNDS; r++) {
  const a = round(referencePass);
  const b = round(compiledPass);
  totals.reference.evals += a.evals;
  totals.reference.ms += a.ms;
  totals.compiled.evals += b.evals;
  totals.compiled.ms += b.ms;
  checksum += a.hits + b.hits;
}

const perSecond = (t: { evals: number; ms: number }): number => (t.evals / t.ms) * 1000;
const compiledRate = perSecond(totals.compiled);
const referenceRate = perSecond(totals.reference);
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

console.log(`rules: ${RULES} different, contexts: ${CONTEXTS}, rounds: ${ROUNDS} interleaved (checksum ${checksum})`);
console.log(`json-logic-js        ${fmt(referenceRate).padStart(14)} evals/s`);
console.log(`compileLogic         ${fmt(compiledRate).padStart(14)} evals/s`);
console.log(`ratio                ${(compiledRate / referenceRate).toFixed(1)}x`);

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
