import { type LogicBudget, literalIsCharged, ruleWeight } from './budget.ts';
import type { LogicIssue, LogicPath } from './validate-logic.ts';

// The evaluation budget checked before a rule is saved: a rule that is certain to go over it is
// refused with the reason at the operator that does. The check evaluates the rule abstractly, on
// the smallest data there is (every read finds a plain value, a list in the data is empty) but
// through every branch: what the rule does with its own lists and text is known exactly, and no
// amount of data makes it cheaper. What depends on the data's size cannot be known here; the
// budget is enforced at run time regardless (budget.ts). One thing data cannot excuse is checked
// too: a reduce that uses its accumulator more than once in what it builds doubles it with every
// item, so it goes over on some list of a few dozen items whatever else happens.

/** What is known of a value: an upper bound of its size (budget.ts) and, for a list, of its items. */
interface Shape {
  size: number;
  list?: { count: number; item: Shape };
}

const PLAIN: Shape = { size: 1 };
// Beyond this much abstract work the check gives up (the rule may still be fine); run time decides.
const MAX_WORK = 20_000;
const GROWTH_PROBE = 1_000_000;

/** Ends the check: with the issue found, or with none when the check gave up. */
class Stop {
  readonly issue: LogicIssue | undefined;
  constructor(issue: LogicIssue | undefined) {
    this.issue = issue;
  }
}

function join(a: Shape, b: Shape): Shape {
  const size = Math.max(a.size, b.size);
  if (!a.list || !b.list) return a.list ? { size, list: a.list } : b.list ? { size, list: b.list } : { size };
  return { size, list: { count: Math.max(a.list.count, b.list.count), item: join(a.list.item, b.list.item) } };
}

/** What a value adds to the size of a list that holds it (or text that converts it). */
function held(s: Shape): number {
  return s.list ? s.size : Math.max(1, s.size);
}

function weightOf(s: Shape): number {
  return s.list ? s.size + 1 : 1;
}

interface Scope {
  item?: Shape;
  current?: Shape;
  accumulator?: Shape;
}

export function checkLogicBudget(rule: unknown, budget: LogicBudget): LogicIssue[] {
  const { issue } = estimateLogicCost(rule, budget);
  return issue ? [issue] : [];
}

export interface CostEstimate {
  /** What the rule spends on the smallest data, every branch taken (undefined: the check gave up). */
  steps?: number;
  size?: number;
  issue?: LogicIssue;
}

/** The abstract evaluation behind checkLogicBudget; it stops at the first limit crossed. */
export function estimateLogicCost(rule: unknown, budget: LogicBudget): CostEstimate {
  let steps = 0;
  let size = 0;
  let work = 0;
  // Off while probing a reduce's growth with a made-up accumulator.
  let limited = true;

  const spendSteps = (amount: number, path: LogicPath): void => {
    steps += amount;
    if (limited && steps > budget.maxSteps) {
      const limit = budget.maxSteps.toLocaleString('en-US');
      throw new Stop({ path, code: 'logic.over_budget', message: `This rule would take more than ${limit} steps` });
    }
  };
  const spendSize = (shape: Shape, path: LogicPath): Shape => {
    size += shape.size;
    if (limited && size > budget.maxSize) {
      const limit = budget.maxSize.toLocaleString('en-US');
      throw new Stop({
        path,
        code: 'logic.over_budget',
        message: `This rule would build lists or text of more than ${limit} items`,
      });
    }
    return shape;
  };

  const listOf = (count: number, item: Shape): Shape => ({
    size: count + count * (item.list || item.size > 1 ? item.size : 0),
    list: { count, item },
  });

  const visit = (value: unknown, path: LogicPath, scope: Scope): Shape => {
    if (++work > MAX_WORK) throw new Stop(undefined);
    if (typeof value === 'string') return { size: value.length };
    if (Array.isArray(value)) {
      let item: Shape = { size: 0 };
      let total = value.length;
      value.forEach((v, i) => {
        const s = visit(v, [...path, i], scope);
        item = join(item, s);
        total += s.list || s.size > 1 ? s.size : 0;
      });
      const list: Shape = { size: total, list: { count: value.length, item } };
      return literalIsCharged(value) ? spendSize(list, path) : list;
    }
    if (typeof value !== 'object' || value === null) return PLAIN;
    const keys = Object.keys(value);
    if (keys.length !== 1) return PLAIN;
    const op = keys[0] as string;
    const raw = (value as Record<string, unknown>)[op];
    const args: unknown[] = Array.isArray(raw) ? raw : [raw];
    const at = [...path, op];
    const argPath = (i: number): LogicPath => (Array.isArray(raw) ? [...at, i] : at);
    const arg = (i: number, s: Scope = scope): Shape => visit(args[i], argPath(i), s);
    const every = (): Shape[] => args.map((_, i) => arg(i));

    switch (op) {
      case 'var': {
        // A computed path and the default are evaluated (json-logic-js does, found or not).
        for (let i = typeof args[0] === 'object' ? 0 : 1; i < args.length; i++) arg(i);
        const found = read(args[0], scope);
        return found ?? (args.length > 1 ? join(PLAIN, arg(1)) : PLAIN);
      }
      case 'if':
      case '?:':
      case 'and':
      case 'or':
        // Any branch may be the one taken.
        return every().reduce(join, { size: 0 });
      case 'merge': {
        let count = 0;
        let item: Shape = { size: 0 };
        let total = 0;
        for (const p of every()) {
          count += p.list ? p.list.count : 1;
          item = join(item, p.list ? p.list.item : p);
          total += p.list ? p.size : held(p);
        }
        return spendSize({ size: total, list: { count, item } }, at);
      }
      case 'cat':
        return spendSize({ size: every().reduce((total, s) => total + held(s), 0) }, at);
      case 'substr':
        return { size: every()[0]?.size ?? 0 };
      case 'filter':
      case 'map':
      case 'all':
      case 'none':
      case 'some':
        return loop(op, args, at, argPath, scope);
      case 'reduce':
        return reduce(args, at, argPath, scope);
      default:
        every();
        return PLAIN;
    }
  };

  /** What a path reads from the loop's scope; undefined for the data (smallest data: a plain value). */
  const read = (path: unknown, scope: Scope): Shape | undefined => {
    if (path === undefined || path === null || path === '') return scope.item;
    if (path === 'current') return scope.current;
    if (path === 'accumulator') return scope.accumulator;
    return undefined;
  };

  const loop = (op: string, args: unknown[], at: LogicPath, argPath: (i: number) => LogicPath, scope: Scope) => {
    const items = visit(args[0], argPath(0), scope);
    const count = items.list?.count ?? 0;
    const item = items.list?.item ?? PLAIN;
    // The item rule once, then what it spent once per further item (its own costs count even
    // when the list is empty here: a list of the data may not be).
    const before = { steps, size };
    const each = visit(args[1], argPath(1), { item });
    if (count > 1) {
      spendSteps((count - 1) * (steps - before.steps), at);
      spendSize({ size: (count - 1) * (size - before.size) }, at);
    }
    spendSteps(count * ruleWeight(args[1]) * weightOf(item), at);
    if (op === 'filter') return spendSize({ size: items.list ? items.size : 0, list: { count, item } }, at);
    if (op === 'map') return spendSize(listOf(count, each), at);
    return PLAIN;
  };

  const reduce = (args: unknown[], at: LogicPath, argPath: (i: number) => LogicPath, scope: Scope): Shape => {
    const items = visit(args[0], argPath(0), scope);
    let accumulator = args[2] !== undefined ? visit(args[2], argPath(2), scope) : PLAIN;
    const current = items.list?.item ?? PLAIN;
    const weight = ruleWeight(args[1]);
    const body = (acc: Shape): Shape => visit(args[1], argPath(1), { current, accumulator: acc });
    // Doubling: given a large accumulator, the item rule builds something at least twice as large.
    const saved = { steps, size };
    const wasLimited = limited;
    limited = false;
    const probe = body({ size: GROWTH_PROBE, list: { count: 0, item: PLAIN } });
    limited = wasLimited;
    ({ steps, size } = saved);
    if (probe.size >= 2 * GROWTH_PROBE) {
      throw new Stop({
        path: argPath(1),
        code: 'logic.over_budget',
        message:
          'This reduce uses the accumulator more than once in what it builds, so its result doubles with every item',
      });
    }
    const count = items.list?.count ?? 0;
    if (count === 0) body(accumulator);
    for (let k = 0; k < count; k++) {
      const cost = weight * (weightOf(current) + weightOf(accumulator));
      spendSteps(cost, at);
      const before = { steps, size };
      const next = body(accumulator);
      // Once the accumulator stops growing, every further item costs what this one did.
      if (next.size <= accumulator.size && (next.list?.count ?? 0) <= (accumulator.list?.count ?? 0)) {
        const left = count - k - 1;
        spendSteps(left * (cost + steps - before.steps), at);
        spendSize({ size: left * (size - before.size) }, at);
        return join(accumulator, next);
      }
      accumulator = next;
    }
    return accumulator;
  };

  try {
    visit(rule, [], {});
  } catch (error) {
    if (error instanceof Stop) return error.issue ? { issue: error.issue } : {};
    throw error;
  }
  return { steps, size };
}
