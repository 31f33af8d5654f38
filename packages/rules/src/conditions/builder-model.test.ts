import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtinRegistry } from '../nodes/builtin.ts';
import { starterTemplates } from '../starters/starter-templates.ts';
import {
  CONDITION_OPERATORS,
  type ConditionGroup,
  type ConditionNode,
  type ConditionRule,
  conditionFromLogic,
  conditionToLogic,
  normalizeCondition,
  UNARY_OPERATORS,
  valueKind,
} from './builder-model.ts';

const path = fc
  .tuple(
    fc.constantFrom('event.properties', 'trigger.properties', 'user', 'event'),
    fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}(\.[A-Za-z_][A-Za-z0-9_]{0,6})?$/),
  )
  .map(([root, name]) => `${root}.${name}`);
const literal = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.integer({ min: -1e9, max: 1e9 }),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }).filter((n) => !Object.is(n, -0)),
  fc.boolean(),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
);

const rule: fc.Arbitrary<ConditionRule> = fc
  .record({
    field: path,
    operator: fc.constantFrom(...CONDITION_OPERATORS),
    operand: fc.oneof(
      literal.map((value) => ({ value })),
      path.map((field) => ({ field })),
    ),
    values: fc.array(literal, { maxLength: 4 }),
  })
  .map(({ field, operator, operand, values }) => {
    if (UNARY_OPERATORS.includes(operator)) return { kind: 'rule', field, operator };
    if (operator === 'one_of') return { kind: 'rule', field, operator, values };
    return { kind: 'rule', field, operator, operand };
  });

const { node } = fc.letrec<{ node: ConditionNode; group: ConditionGroup }>((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, rule, tie('group')),
  group: fc.record({
    kind: fc.constant('group' as const),
    combinator: fc.constantFrom('and' as const, 'or' as const),
    children: fc.array(tie('node'), { maxLength: 4 }),
  }),
}));
const root = fc
  .record({
    kind: fc.constant('group' as const),
    combinator: fc.constantFrom('and' as const, 'or' as const),
    children: fc.array(node, { maxLength: 4 }),
  })
  .map(normalizeCondition);

/** Through JSON as the draft is saved, and back. */
const viaJson = (g: ConditionGroup) => {
  const logic = conditionToLogic(g);
  return logic === undefined ? undefined : JSON.parse(JSON.stringify(logic));
};

describe('the condition builder model', () => {
  it('builder -> JSON Logic -> builder is lossless for every row and group it can build', () => {
    fc.assert(
      fc.property(root, (g) => {
        expect(conditionFromLogic(viaJson(g))).toEqual(g);
      }),
      { numRuns: 500 },
    );
  });

  it('JSON Logic it accepts comes back byte for byte', () => {
    fc.assert(
      fc.property(root, (g) => {
        const logic = viaJson(g);
        const again = conditionFromLogic(logic);
        expect(again && conditionToLogic(again)).toEqual(logic);
      }),
    );
  });

  it('normalising changes nothing a second time, and keeps the rule', () => {
    fc.assert(
      fc.property(
        fc.record({
          kind: fc.constant('group' as const),
          combinator: fc.constantFrom('and' as const, 'or' as const),
          children: fc.array(node, { maxLength: 3 }),
        }),
        (g) => {
          const once = normalizeCondition(g);
          expect(normalizeCondition(once)).toEqual(once);
          expect(conditionToLogic(once)).toEqual(conditionToLogic(g));
        },
      ),
    );
  });

  it('shows every condition of the starter templates in the builder', () => {
    const rules = starterTemplates.flatMap((t) =>
      t.document.nodes.flatMap((n) => {
        const type = builtinRegistry.get(n.type, n.version ?? 1);
        const logicKeys = (type?.fields ?? []).filter((fld) => fld.widget === 'json-logic').map((fld) => fld.key);
        return logicKeys.map((key) => n.config[key]).filter((x) => x !== undefined);
      }),
    );
    expect(rules.length).toBeGreaterThanOrEqual(3);
    for (const logic of rules) expect(conditionFromLogic(logic), JSON.stringify(logic)).not.toBeNull();
  });

  it.each([
    [{ '>=': [{ var: 'event.properties.total' }, 500] }, 'gte'],
    [{ '!': [{ var: 'user.activated' }] }, 'is_not_true'],
    [{ '==': [{ var: 'event.properties.cartId' }, { var: 'trigger.properties.cartId' }] }, 'equals'],
    [{ '!=': [{ var: 'event.properties.coupon' }, null] }, 'is_set'],
    [{ '!': [{ in: ['x', { var: 'event.properties.tags' }] }] }, 'not_contains'],
  ])('reads %j as one %s row', (logic, operator) => {
    expect(conditionFromLogic(logic)?.children).toEqual([expect.objectContaining({ kind: 'rule', operator })]);
  });

  it('leaves rules it cannot show exactly to the JSON Logic tab', () => {
    expect(conditionFromLogic({ '===': [{ var: 'a' }, 1] })).toBeNull();
    expect(conditionFromLogic({ and: [{ '>': [{ var: 'a' }, 1] }] })).toBeNull();
    expect(conditionFromLogic({ '>': [{ '+': [{ var: 'a' }, 1] }, 1] })).toBeNull();
  });

  it('knows numbers, booleans, dates and text apart', () => {
    expect([valueKind(3), valueKind(true), valueKind('2026-01-02T03:04:05Z'), valueKind('pro')]).toEqual([
      'number',
      'boolean',
      'date',
      'string',
    ]);
  });
});
