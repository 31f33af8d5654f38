import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { data, rule } from './arbitraries.test-helper.ts';
import { DEFAULT_LOGIC_BUDGET, LogicBudgetError, meter, resetMeter } from './budget.ts';
import { applyLogic, compileLogic } from './compile.ts';

const ones = (n: number): number[] => Array.from({ length: n }, () => 1);
const acc = { var: 'accumulator' };
// The attacks of issue 16: each step doubles what the previous one built.
const mergeBomb = (n: number) => ({ reduce: [ones(n), { merge: [acc, acc] }, [0]] });
const catBomb = (n: number) => ({ reduce: [ones(n), { cat: [acc, acc] }, 'ab'] });
// A list that stays small but nests its accumulator twice: its text doubles with every item.
const nestBomb = { cat: [{ reduce: [ones(60), [acc, acc], 0] }] };
// Three nested loops over 2,000 items: 8 billion iterations, no allocation at all.
const loopBomb = { some: [ones(400), { some: [ones(400), { some: [ones(400), false] }] }] };

const modes = {
  compiled: (r: unknown, d?: unknown) => compileLogic(r)(d),
  interpreted: (r: unknown, d?: unknown) => compileLogic(r, { codegen: false })(d),
  applyLogic: (r: unknown, d?: unknown) => applyLogic(r, d),
};

function budgetError(run: () => unknown): LogicBudgetError | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof LogicBudgetError) return error;
    throw error;
  }
  return undefined;
}

describe('evaluation budget', () => {
  describe.each(Object.entries(modes))('%s', (_mode, run) => {
    it.each([
      ['merge doubling (27 items)', mergeBomb(27)],
      ['merge doubling (22 items)', mergeBomb(22)],
      ['cat doubling', catBomb(40)],
      ['a nested accumulator', nestBomb],
      ['nested loops', loopBomb],
    ])('stops %s with a LogicBudgetError, quickly', (_name, bomb) => {
      const started = performance.now();
      const error = budgetError(() => run(bomb, {}));
      expect(error).toBeInstanceOf(LogicBudgetError);
      expect(error?.message).toMatch(/^The rule stopped: on this event/);
      // Generous for a shared CI machine; unbounded, these take seconds to hours or exhaust the heap.
      expect(performance.now() - started).toBeLessThan(2000);
    });

    it('stops a rule that the data smuggles in (missing re-reads an object key as a rule)', () => {
      const error = budgetError(() => run({ missing: [{ var: 'x' }] }, { x: mergeBomb(30) }));
      expect(error?.limit).toBeDefined();
    });

    it('lets ordinary work on large data through', () => {
      const items = Array.from({ length: 20_000 }, (_, i) => ({ price: i % 100 }));
      const total = { reduce: [{ var: 'items' }, { '+': [acc, { var: 'current.price' }] }, 0] };
      expect(run(total, { items })).toBe(990_000);
      const cheap = { filter: [{ var: 'items' }, { '>': [{ var: 'price' }, 98] }] };
      expect(run(cheap, { items })).toHaveLength(200);
    });

    it('starts every evaluation with a full budget', () => {
      const big = { map: [{ var: 'xs' }, { '*': [{ var: '' }, 2] }] };
      const xs = ones(200_000);
      for (let i = 0; i < 3; i++) {
        expect(budgetError(() => run(mergeBomb(25), {}))).toBeDefined();
        expect(run(big, { xs })).toHaveLength(200_000);
      }
    });
  });

  it('stops at the same point compiled and interpreted (one more step is one too many)', () => {
    // What the rule spends, measured; then a budget of exactly that passes and one step less fails.
    const r = { map: [{ var: 'xs' }, { cat: [{ var: '' }, 'x'] }] };
    const d = { xs: Array.from({ length: 100 }, (_, i) => `item${i}`) };
    const spent = (codegen: boolean) => {
      const fn = compileLogic(r, { codegen });
      resetMeter(DEFAULT_LOGIC_BUDGET);
      fn(d);
      return DEFAULT_LOGIC_BUDGET.maxSteps - meter.steps;
    };
    const steps = spent(true);
    expect(spent(false)).toBe(steps);
    for (const codegen of [true, false]) {
      const exact = compileLogic(r, { codegen, budget: { maxSteps: steps } });
      expect(exact(d)).toHaveLength(100);
      const short = compileLogic(r, { codegen, budget: { maxSteps: steps - 1 } });
      expect(budgetError(() => short(d))?.limit).toBe('steps');
    }
  });

  it('charges compiled code and the interpreter alike, on any rule and data', () => {
    // Evaluations that complete. One that throws is discarded either way; compiled code may
    // convert an operand (and throw) before json-logic-js would have evaluated the next one.
    const spend = (run: () => unknown) => {
      resetMeter(DEFAULT_LOGIC_BUDGET);
      try {
        run();
      } catch {
        return 'threw';
      }
      return [meter.steps, meter.size];
    };
    let completed = 0;
    let charged = 0;
    fc.assert(
      fc.property(rule, data, (r, d) => {
        const compiled = spend(() => compileLogic(r)(d));
        const interpreted = spend(() => compileLogic(r, { codegen: false })(d));
        if (compiled === 'threw' || interpreted === 'threw') return compiled === interpreted;
        completed++;
        if (compiled[0] !== DEFAULT_LOGIC_BUDGET.maxSteps || compiled[1] !== DEFAULT_LOGIC_BUDGET.maxSize) charged++;
        expect(compiled).toEqual(interpreted);
        return true;
      }),
      { numRuns: 3000 },
    );
    expect(completed).toBeGreaterThan(1000);
    expect(charged).toBeGreaterThan(100);
  });

  it('counts a list that holds the same list twice by what its text would be', () => {
    const r = { cat: [{ reduce: [ones(12), [acc, acc], 0] }] };
    // 2^12 zeros joined with commas: the size counted is at least the text's length.
    expect(compileLogic(r)({})).toHaveLength(2 * 4096 - 1);
    resetMeter(DEFAULT_LOGIC_BUDGET);
    compileLogic(r)({});
    expect(DEFAULT_LOGIC_BUDGET.maxSize - meter.size).toBeGreaterThan(2 * 4096);
  });
});
