import { DEFAULT_LOGIC_BUDGET, type LogicBudget } from './budget.ts';
import { generateSource } from './codegen.ts';
import { factoryFor } from './factories.ts';
import { helpersFor } from './helpers.ts';
import { evaluate } from './interpret.ts';
import { defaultOperators, type OperatorTable } from './operators.ts';
import { type LogicIssue, type LogicLimits, validateLogic } from './validate-logic.ts';

export type CompiledLogic = (data?: unknown) => unknown;

export interface LogicOptions {
  operators?: OperatorTable;
  limits?: Partial<LogicLimits>;
  /** The evaluation budget (budget.ts); an evaluation over it throws LogicBudgetError. */
  budget?: Partial<LogicBudget>;
  /** Force the interpreter (false) or code generation (true); by default code generation when allowed. */
  codegen?: boolean;
}

/** Thrown by compileLogic/applyLogic for a rule that must not run (unknown operator, over limits). */
export class LogicError extends Error {
  readonly issues: LogicIssue[];
  constructor(issues: LogicIssue[]) {
    super(issues.map((i) => i.message).join('; '));
    this.name = 'LogicError';
    this.issues = issues;
  }
}

let codegenAvailable: boolean | undefined;

/** A Content-Security-Policy without 'unsafe-eval' makes `new Function` throw; then we interpret. */
export function canGenerateCode(): boolean {
  if (codegenAvailable === undefined) {
    try {
      codegenAvailable = new Function('return 1')() === 1;
    } catch {
      codegenAvailable = false;
    }
  }
  return codegenAvailable;
}

interface Cached {
  fn: CompiledLogic;
  rule: unknown;
  returnsReferences: boolean;
}

interface TableCache {
  byIdentity: WeakMap<object, CompiledLogic>;
  byText: Map<string, Cached>;
}

const MAX_TEXT_ENTRIES = 10_000;
const caches = new WeakMap<OperatorTable, TableCache>();

function cacheFor(operators: OperatorTable): TableCache {
  let cache = caches.get(operators);
  if (cache === undefined) {
    cache = { byIdentity: new WeakMap(), byText: new Map() };
    caches.set(operators, cache);
  }
  return cache;
}

/**
 * Compiles a JSON Logic rule to a function with json-logic-js's results. Rules are treated as
 * immutable: compiled functions are cached by object identity and by JSON text.
 */
export function compileLogic(rule: unknown, options: LogicOptions = {}): CompiledLogic {
  const operators = options.operators ?? defaultOperators;
  const issues = validateLogic(rule, { operators, ...(options.limits ? { limits: options.limits } : {}) });
  if (issues.length > 0) throw new LogicError(issues);
  const budget = budgetOf(options.budget);
  if (options.codegen === false || (options.codegen === undefined && !canGenerateCode())) {
    return (data) => evaluate(rule, data, operators, budget);
  }
  // The budget is bound into the function; the caches hold functions with the default one.
  if (budget !== DEFAULT_LOGIC_BUDGET) {
    const generated = generateSource(rule, operators, budget);
    return factoryFor(generated.source)(helpersFor(operators), generated.constants);
  }

  const cache = cacheFor(operators);
  const isObject = typeof rule === 'object' && rule !== null;
  if (isObject) {
    const hit = cache.byIdentity.get(rule);
    if (hit) return hit;
  }
  const text = jsonText(rule);
  const cached = text === undefined ? undefined : cache.byText.get(text);
  // A function that returns constant objects by reference may only serve its own rule object.
  if (cached && (!cached.returnsReferences || cached.rule === rule)) return cached.fn;

  const generated = generateSource(rule, operators);
  const fn = factoryFor(generated.source)(helpersFor(operators), generated.constants);
  if (isObject) cache.byIdentity.set(rule, fn);
  if (text !== undefined) {
    if (cache.byText.size >= MAX_TEXT_ENTRIES) {
      const oldest = cache.byText.keys().next().value;
      if (oldest !== undefined) cache.byText.delete(oldest);
    }
    cache.byText.set(text, { fn, rule, returnsReferences: generated.returnsReferences });
  }
  return fn;
}

const validated = new WeakMap<OperatorTable, WeakSet<object>>();

/** Interprets a rule once; same results as compileLogic and json-logic-js. */
export function applyLogic(rule: unknown, data?: unknown, options: Omit<LogicOptions, 'codegen'> = {}): unknown {
  const budget = budgetOf(options.budget);
  const operators = options.operators ?? defaultOperators;
  let seen = validated.get(operators);
  if (seen === undefined) {
    seen = new WeakSet();
    validated.set(operators, seen);
  }
  const isObject = typeof rule === 'object' && rule !== null;
  if (!isObject || options.limits || !seen.has(rule)) {
    const issues = validateLogic(rule, { operators, ...(options.limits ? { limits: options.limits } : {}) });
    if (issues.length > 0) throw new LogicError(issues);
    if (isObject && !options.limits) seen.add(rule);
  }
  return evaluate(rule, data, operators, budget);
}

function budgetOf(budget: Partial<LogicBudget> | undefined): LogicBudget {
  if (budget === undefined) return DEFAULT_LOGIC_BUDGET;
  return { ...DEFAULT_LOGIC_BUDGET, ...budget };
}

/** JSON text only for values that survive JSON exactly; anything else is cached by identity alone. */
function jsonText(rule: unknown): string | undefined {
  return isExactJson(rule) ? JSON.stringify(rule) : undefined;
}

function isExactJson(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!(i in value) || !isExactJson(value[i])) return false;
    return true;
  }
  if (typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  for (const key of Object.keys(value)) {
    if (!isExactJson((value as Record<string, unknown>)[key])) return false;
  }
  return true;
}
