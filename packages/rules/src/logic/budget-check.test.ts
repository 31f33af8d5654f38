import { describe, expect, it } from 'vitest';
import { generateRules } from '../../bench/rule-gen.ts';
import { validateWorkflow } from '../workflow/validate.ts';
import { DEFAULT_LOGIC_BUDGET, meter, resetMeter } from './budget.ts';
import { checkLogicBudget, estimateLogicCost } from './budget-check.ts';
import { compileLogic } from './compile.ts';

const ones = (n: number): number[] => Array.from({ length: n }, () => 1);
const acc = { var: 'accumulator' };
const check = (rule: unknown) => checkLogicBudget(rule, DEFAULT_LOGIC_BUDGET);

describe('checkLogicBudget', () => {
  it.each([
    ['merge', { reduce: [ones(27), { merge: [acc, acc] }, [0]] }],
    ['cat', { reduce: [ones(27), { cat: [acc, acc] }, 'ab'] }],
    ['an array literal', { reduce: [ones(3), [acc, acc], 0] }],
    ['merge of the accumulator with itself in a list', { reduce: [ones(2), { merge: [acc, [acc]] }, []] }],
    ['a list from the data', { reduce: [{ var: 'event.properties.xs' }, { merge: [acc, acc] }, [0]] }],
    ['a branch', { reduce: [{ var: 'xs' }, { if: [{ var: 'current' }, { cat: [acc, acc] }, acc] }, 'a'] }],
  ])('refuses a reduce that doubles its accumulator (%s), at the item rule', (_name, rule) => {
    expect(check(rule)).toEqual([
      {
        path: ['reduce', 1],
        code: 'logic.over_budget',
        message:
          'This reduce uses the accumulator more than once in what it builds, so its result doubles with every item',
      },
    ]);
  });

  it('refuses loops over its own lists that are certain to go over, at the operator', () => {
    const rule = { and: [true, { map: [ones(400), { map: [ones(60), { map: [ones(50), 1] }] }] }] };
    expect(check(rule)).toEqual([
      { path: ['and', 1, 'map'], code: 'logic.over_budget', message: 'This rule would take more than 1,000,000 steps' },
    ]);
    const text = { map: [ones(300), { cat: ['x'.repeat(4000), { var: '' }] }] };
    expect(check(text)[0]).toMatchObject({
      path: ['map'],
      message: 'This rule would build lists or text of more than 1,000,000 items',
    });
  });

  it.each([
    ['a sum', { reduce: [{ var: 'event.properties.items' }, { '+': [acc, { var: 'current.price' }] }, 0] }],
    ['a flattening', { reduce: [{ var: 'xs' }, { merge: [acc, { var: 'current' }] }, []] }],
    ['a list built item by item', { reduce: [ones(300), { merge: [acc, [{ var: 'current' }]] }, []] }],
    ['text built item by item', { reduce: [ones(300), { cat: [acc, ',', { var: 'current' }] }, ''] }],
    ['loops over the data', { some: [{ var: 'a' }, { some: [{ var: 'b' }, { in: ['x', { var: 'c' }] }] }] }],
    ['nested loops within the budget', { map: [ones(100), { map: [ones(100), { '+': [{ var: '' }, 1] }] }] }],
  ])('accepts %s', (_name, rule) => {
    expect(check(rule)).toEqual([]);
  });

  it("accepts every rule of the benchmark's realistic corpus", () => {
    for (const rule of generateRules(500, 11)) expect(check(rule)).toEqual([]);
  });

  it('estimates what a rule spends on its own lists: exactly for lists of like items, never less', () => {
    const spent = (rule: unknown) => {
      resetMeter(DEFAULT_LOGIC_BUDGET);
      compileLogic(rule)({});
      return { steps: DEFAULT_LOGIC_BUDGET.maxSteps - meter.steps, size: DEFAULT_LOGIC_BUDGET.maxSize - meter.size };
    };
    const exact = [
      { map: [ones(30), { map: [ones(20), { cat: ['ab', { var: '' }] }] }] },
      { reduce: [ones(50), { merge: [acc, [{ var: 'current' }]] }, []] },
      { all: [ones(10), { merge: [[1, 2], { var: '' }] }] },
      {
        filter: [
          [
            [1, 2],
            [3, 4],
          ],
          { map: [{ var: '' }, { '+': [{ var: '' }, 1] }] },
        ],
      },
    ];
    for (const rule of exact)
      expect(estimateLogicCost(rule, DEFAULT_LOGIC_BUDGET), JSON.stringify(rule)).toEqual(spent(rule));
    // Unlike items count as the largest; `some` counts as if it visited every item.
    const bound = { filter: [[[1, 2], [3], [4, 5, 6]], { some: [{ var: '' }, { '>': [{ var: '' }, 4] }] }] };
    const estimate = estimateLogicCost(bound, DEFAULT_LOGIC_BUDGET);
    expect(estimate.steps).toBeGreaterThanOrEqual(spent(bound).steps);
    expect(estimate.size).toBeGreaterThanOrEqual(spent(bound).size);
  });

  it('marks the node in a workflow: save and publish refuse the rule with the reason', () => {
    const bomb = { reduce: [ones(27), { merge: [acc, acc] }, [0]] };
    const errors = validateWorkflow({
      name: 'w',
      nodes: [
        { id: 't', type: 'trigger.event', config: { event: 'signup' } },
        { id: 'c', type: 'condition.if', config: { logic: { '!!': bomb } } },
      ],
      edges: [{ source: 't', target: 'c' }],
    });
    expect(errors).toEqual([
      expect.objectContaining({
        nodeId: 'c',
        path: ['nodes', 1, 'config', 'logic', '!!', 'reduce', 1],
        code: 'logic.over_budget',
      }),
    ]);
  });
});
