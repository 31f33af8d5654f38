// The evaluation budget: how much work one evaluation of a rule may do. JSON Logic has loops
// (filter, map, reduce, all, none, some) and operators that build values (merge, cat, array
// literals), so a rule of 140 bytes can double a list on every item of a reduce until the heap
// runs out. Every evaluation — compiled or interpreted, in the engine, a test run or the editor —
// is metered here and stops with a LogicBudgetError as soon as it goes over.
//
// Two counts, both deterministic (the same rule on the same data stops at the same point in every
// process, so a test run and the engine agree):
// - steps: each loop iteration costs the size of the loop's item rule (its operators, arrays and
//   literals, as validateLogic counts them) times the weight of the item (1, or the size of an
//   array item, since every operator in the item rule may read or convert all of it);
// - size: every array and string the rule builds costs its size: a string its length, an array
//   its length plus the sizes of the arrays and strings it holds, counted again wherever the
//   same one is held twice (a reduce that nests its accumulator twice per item would otherwise
//   build a small list whose text doubles with every item).
// Work outside loops is bounded by the rule's own size (validateLogic).

export interface LogicBudget {
  /** Loop work per evaluation: item-rule size × item weight, summed over iterations. */
  maxSteps: number;
  /** Arrays and strings built per evaluation, in elements and characters. */
  maxSize: number;
}

export const DEFAULT_LOGIC_BUDGET: Readonly<LogicBudget> = Object.freeze({ maxSteps: 1_000_000, maxSize: 1_000_000 });

/** Thrown during an evaluation that goes over its budget; the evaluation's result is discarded. */
export class LogicBudgetError extends Error {
  readonly limit: 'steps' | 'size';
  readonly max: number;
  constructor(limit: 'steps' | 'size', max: number) {
    const amount = max.toLocaleString('en-US');
    super(
      limit === 'steps'
        ? `The rule stopped: on this event it needed more than ${amount} steps (each operation on each list item counts)`
        : `The rule stopped: on this event the lists and text it built grew past ${amount} items`,
    );
    this.name = 'LogicBudgetError';
    this.limit = limit;
    this.max = max;
  }
}

/**
 * What is left of the current evaluation's budget. Evaluation is synchronous, so one meter serves
 * every rule: each evaluation that can spend (see `meters` in codegen.ts) resets it on entry.
 */
export interface Meter {
  steps: number;
  size: number;
  budget: LogicBudget;
}

export const meter: Meter = { steps: 0, size: 0, budget: DEFAULT_LOGIC_BUDGET };

export function resetMeter(budget: LogicBudget): void {
  meter.steps = budget.maxSteps;
  meter.size = budget.maxSize;
  meter.budget = budget;
}

// Evaluations stopped in this process so far, by limit: what a process exports as a metric (the
// engine's tripwire_rule_budget_exceeded_total), whichever path evaluated the rule.
const overruns = { steps: 0, size: 0 };

export function logicBudgetOverruns(): Readonly<{ steps: number; size: number }> {
  return overruns;
}

export function overSteps(): never {
  overruns.steps++;
  throw new LogicBudgetError('steps', meter.budget.maxSteps);
}

export function overSize(): never {
  overruns.size++;
  throw new LogicBudgetError('size', meter.budget.maxSize);
}

const sizes = new WeakMap<readonly unknown[], number>();

/**
 * The size of a value as the budget counts it: a string's length, an array's length plus the
 * sizes of the arrays and strings in it, 1 for anything else. Arrays are immutable during
 * evaluation (no operator writes to one), so an array's size is computed once and remembered;
 * a rule's own arrays are sized when built, so nesting never recurses deeper than the data.
 */
export function sizeOf(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (!Array.isArray(value)) return 1;
  let size = sizes.get(value);
  if (size === undefined) {
    size = value.length;
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      if (typeof item === 'string') size += item.length;
      else if (Array.isArray(item)) size += sizeOf(item);
    }
    sizes.set(value, size);
  }
  return size;
}

/** What one loop iteration over `item` costs per operator of the item rule. */
export function itemWeight(item: unknown): number {
  return Array.isArray(item) ? sizeOf(item) + 1 : 1;
}

/** Charges one iteration of an item rule of `weight` parts over `item`. */
export function chargeItem(weight: number, item: unknown): void {
  meter.steps -= weight * itemWeight(item);
  if (meter.steps < 0) overSteps();
}

/** Charges `size` before something of that size is built. */
export function chargeSize(size: number): void {
  meter.size -= size;
  if (meter.size < 0) overSize();
}

/** Remembers the size of an array built and charged already, and returns it. */
export function recordSize<T extends unknown[]>(value: T, size: number): T {
  sizes.set(value, size);
  return value;
}

/** Charges an array the rule built, and returns it. */
export function built<T extends unknown[]>(value: T): T {
  meter.size -= sizeOf(value);
  if (meter.size < 0) overSize();
  return value;
}

/** Charges a string the rule built, and returns it. */
export function builtText(value: string): string {
  meter.size -= value.length;
  if (meter.size < 0) overSize();
  return value;
}

const weights = new WeakMap<object, number>();

/**
 * The size of a rule as validateLogic counts it (every operator, array and literal is one part):
 * what one iteration of a loop with this item rule is charged. Literals weigh 1.
 */
export function ruleWeight(rule: unknown): number {
  if (typeof rule !== 'object' || rule === null) return 1;
  let weight = weights.get(rule);
  if (weight === undefined) {
    weight = 1;
    if (Array.isArray(rule)) {
      for (let i = 0; i < rule.length; i++) weight += ruleWeight(rule[i]);
    } else {
      const keys = Object.keys(rule);
      if (keys.length === 1) {
        const args = (rule as Record<string, unknown>)[keys[0] as string];
        if (Array.isArray(args)) for (let i = 0; i < args.length; i++) weight += ruleWeight(args[i]);
        else weight += ruleWeight(args);
      }
    }
    weights.set(rule, weight);
  }
  return weight;
}

/** Whether building this array literal is charged: only when it holds more than primitive literals. */
export function literalIsCharged(items: readonly unknown[]): boolean {
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (typeof item === 'object' && item !== null) return true;
  }
  return false;
}
