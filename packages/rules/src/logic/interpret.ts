import { built, builtText, type LogicBudget, literalIsCharged, resetMeter, ruleWeight } from './budget.ts';
import type { OperatorTable } from './operators.ts';
import * as rt from './runtime.ts';
import { isLogic } from './validate-logic.ts';

// A direct interpreter with json-logic-js's evaluation order: `if`/`and`/`or` and the array
// operators evaluate lazily, everything else evaluates every argument first, left to right.
// Besides being `applyLogic`, it is the fallback when code generation is unavailable (CSP) and
// the slow path for the few places where json-logic-js re-reads data as logic (`missing`).

/** One metered evaluation: the budget starts full (see budget.ts). */
export function evaluate(logic: unknown, data: unknown, operators: OperatorTable, budget: LogicBudget): unknown {
  resetMeter(budget);
  return interpret(logic, data, operators);
}

/** Interprets within the current evaluation's budget. */
export function interpret(logic: unknown, data: unknown, operators: OperatorTable): unknown {
  if (Array.isArray(logic)) {
    const items = logic.map((item) => interpret(item, data, operators));
    return literalIsCharged(logic) ? built(items) : items;
  }
  if (!isLogic(logic)) return logic;

  const op = Object.keys(logic)[0] as string;
  const raw = logic[op];
  const values: unknown[] = Array.isArray(raw) ? raw : [raw];
  const run = (value: unknown): unknown => interpret(value, data, operators);
  // Not a default parameter of `run`: an undefined array item is the item rule's data, not a
  // reason to fall back to the outer data.
  const each = (rule: unknown) => (item: unknown) => interpret(rule, item, operators);

  switch (op) {
    case 'if':
    case '?:': {
      let i = 0;
      for (; i < values.length - 1; i += 2) {
        if (rt.truthy(run(values[i]))) return run(values[i + 1]);
      }
      return values.length === i + 1 ? run(values[i]) : null;
    }
    case 'and': {
      let current: unknown;
      for (const value of values) {
        current = run(value);
        if (!rt.truthy(current)) return current;
      }
      return current;
    }
    case 'or': {
      let current: unknown;
      for (const value of values) {
        current = run(value);
        if (rt.truthy(current)) return current;
      }
      return current;
    }
    case 'filter':
      return rt.filterOp(run(values[0]), each(values[1]), ruleWeight(values[1]));
    case 'map':
      return rt.mapOp(run(values[0]), each(values[1]), ruleWeight(values[1]));
    case 'reduce': {
      const items = run(values[0]);
      const initial = typeof values[2] !== 'undefined' ? run(values[2]) : null;
      return rt.reduceOp(items, each(values[1]), initial, ruleWeight(values[1]));
    }
    case 'all':
      return rt.allOp(run(values[0]), each(values[1]), ruleWeight(values[1]));
    case 'none':
      return rt.noneOp(run(values[0]), each(values[1]), ruleWeight(values[1]));
    case 'some':
      return rt.someOp(run(values[0]), each(values[1]), ruleWeight(values[1]));
  }

  const args = values.map((value) => run(value));
  return applyOperator(op, args, data, operators);
}

function applyOperator(op: string, a: unknown[], data: unknown, operators: OperatorTable): unknown {
  switch (op) {
    case '==':
      // biome-ignore lint/suspicious/noDoubleEquals: JSON Logic's == is JavaScript's loose equality.
      return a[0] == a[1];
    case '===':
      return a[0] === a[1];
    case '!=':
      // biome-ignore lint/suspicious/noDoubleEquals: see above.
      return a[0] != a[1];
    case '!==':
      return a[0] !== a[1];
    case '>':
      return (a[0] as number) > (a[1] as number);
    case '>=':
      return (a[0] as number) >= (a[1] as number);
    case '<':
      return rt.lessThan(a[0], a[1], a[2]);
    case '<=':
      return rt.lessOrEqual(a[0], a[1], a[2]);
    case '!!':
      return rt.truthy(a[0]);
    case '!':
      return !rt.truthy(a[0]);
    case '%':
      return (a[0] as number) % (a[1] as number);
    case 'log':
      return rt.logValue(a[0]);
    case 'in':
      return rt.inOp(a[0], a[1]);
    case 'cat':
      return builtText(rt.cat(...a));
    case 'substr':
      return rt.substr(a[0], a[1], a[2]);
    case '+':
      return rt.plus(...a);
    case '*':
      return rt.times(...a);
    case '-':
      return rt.minus(a[0], a[1]);
    case '/':
      return (a[0] as number) / (a[1] as number);
    case 'min':
      return Math.min(...(a as number[]));
    case 'max':
      return Math.max(...(a as number[]));
    case 'merge':
      return rt.merge(...a);
    case 'var':
      return rt.varPath(data, a[0], a[1]);
    case 'missing':
      return missing(data, a, operators);
    case 'missing_some':
      return missingSome(data, a[0], a[1], operators);
  }
  const custom = operators.custom(op);
  if (custom) return custom(a, data);
  throw new Error(`Unrecognized operation ${op}`);
}

/** `missing` with evaluated arguments. A non-primitive key is re-read as a `var` rule, as json-logic-js does. */
export function missing(data: unknown, args: unknown[], operators: OperatorTable): unknown[] {
  const keys: unknown[] = Array.isArray(args[0]) ? args[0] : args;
  const out: unknown[] = [];
  for (const key of keys) {
    const value = rt.isPrimitive(key) ? rt.varPath(data, key, null) : interpret({ var: key }, data, operators);
    if (value === null || value === '') out.push(key);
  }
  return out;
}

export function missingSome(data: unknown, needCount: unknown, options: unknown, operators: OperatorTable): unknown {
  // json-logic-js evaluates `{missing: options}` again; for an array of primitives that is a no-op.
  const areMissing =
    Array.isArray(options) && options.every(rt.isPrimitive)
      ? missing(data, options, operators)
      : (interpret({ missing: options }, data, operators) as unknown[]);
  if ((options as unknown[]).length - areMissing.length >= (needCount as number)) return [];
  return areMissing;
}
