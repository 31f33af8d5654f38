import fc from 'fast-check';
import jsonLogic from 'json-logic-js';
import { describe, expect, it } from 'vitest';
import { generateContexts, generateRules } from '../../bench/rule-gen.ts';
import { applyLogic, compileLogic } from './compile.ts';
import { outcome, sameOutcome } from './same-value.test-helper.ts';

// Differential property test: on random rules and data, compileLogic and applyLogic give exactly
// json-logic-js's outcome — the same value (Object.is at the leaves) or an exception likewise.

const KEYS = ['a', 'b', 'x', '0', '1', '', 'length', '__proto__', 'constructor', 'toString', 'valueOf'];
const PATHS = [
  'a',
  'b',
  'a.b',
  'x.0',
  '0',
  '1',
  '',
  'a.length',
  'b.a.x',
  '__proto__',
  'constructor',
  'a.toString',
  'x..a',
];
const STRINGS = ['', 'a', 'b', '1', '2.5', '-3', 'abc', 'a,b', '0', ' ', 'true', 'null', '1e3'];

const scalar = fc.oneof(
  fc.constantFrom(null, true, false, 0, -0, 1, -1, 2, 3, 0.5, -2.5, 10, 100),
  fc.integer({ min: -50, max: 50 }),
  fc.constantFrom(...STRINGS),
);

// Values only JavaScript callers can pass (JSON has none of them), so that no shortcut assumes JSON.
const exotic = fc.constantFrom<unknown>(
  undefined,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  10n,
  Symbol('s'),
  () => 1,
  new Date(0),
  Object.create(null),
  Object.assign(Object.create(null), { a: 1 }),
  // biome-ignore lint/suspicious/noSparseArray: a hole is the point
  [, 1],
  [undefined],
  { valueOf: () => 3 },
  new Map(),
  new String('a'),
);

const data = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, scalar, exotic, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(fc.constantFrom(...KEYS), tie('value'), { maxKeys: 4 }),
})).value;

const OPS = [
  '==',
  '===',
  '!=',
  '!==',
  '>',
  '>=',
  '<',
  '<=',
  '!',
  '!!',
  '%',
  'in',
  'cat',
  'substr',
  '+',
  '*',
  '-',
  '/',
  'min',
  'max',
  'merge',
  'missing',
  'missing_some',
  'if',
  '?:',
  'and',
  'or',
];
const SCOPED = ['filter', 'map', 'reduce', 'all', 'none', 'some'];

const rule = fc.letrec((tie) => ({
  rule: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    tie('var'),
    tie('var'),
    tie('op'),
    tie('op'),
    tie('scoped'),
    tie('arith'),
    fc.array(tie('rule'), { maxLength: 3 }),
  ),
  // Numeric corners (-0, coercion of strings) need numbers to meet numbers often.
  arith: fc
    .tuple(
      fc.constantFrom('+', '*', '-', '/', '%', 'min', 'max', '<', '<=', '=='),
      fc.array(fc.oneof(fc.constantFrom(0, -0, 1, -1, 2.5, '3', '-0', '', null), tie('var')), { maxLength: 4 }),
    )
    .map(([op, args]) => ({ [op]: args })),
  var: fc.oneof(
    fc.constantFrom(...PATHS).map((p) => ({ var: p })),
    fc.tuple(fc.constantFrom(...PATHS), scalar).map(([p, d]) => ({ var: [p, d] })),
    fc.constantFrom(...PATHS, 0, 1, null).map((p) => ({ var: [p] })),
    tie('rule').map((p) => ({ var: p })),
    fc.tuple(tie('rule'), tie('rule')).map(([p, d]) => ({ var: [p, d] })),
  ),
  op: fc.oneof(
    fc.tuple(fc.constantFrom(...OPS), fc.array(tie('rule'), { maxLength: 4 })).map(([op, args]) => ({ [op]: args })),
    fc.tuple(fc.constantFrom(...OPS), tie('rule')).map(([op, arg]) => ({ [op]: arg })),
    fc
      .tuple(
        fc.constantFrom('in', 'missing', 'missing_some'),
        fc.array(fc.constantFrom(...PATHS, 1, 2), { maxLength: 4 }),
      )
      .map(([op, keys]) =>
        op === 'missing'
          ? { missing: keys }
          : op === 'in'
            ? { in: [keys[0] ?? 'a', keys] }
            : { missing_some: [1, keys] },
      ),
  ),
  scoped: fc
    .tuple(fc.constantFrom(...SCOPED), tie('rule'), tie('rule'), fc.option(tie('rule'), { nil: undefined }))
    .map(([op, items, body, extra]) => ({ [op]: extra === undefined ? [items, body] : [items, body, extra] })),
})).rule;

// Trees shaped like trigger conditions (and/or/if/! over a path compared with a constant, lists,
// presence checks), so that the generator's specialisations for them — type-split comparisons,
// memoised reads of a repeated path, `missing` built from flags, and/or as tests — meet every
// kind of value, including values whose conversion throws.
const leaf = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('==', '!=', '===', '!==', '>', '>=', '<', '<='),
      fc.constantFrom(...PATHS),
      scalar,
      fc.boolean(),
    )
    .map(([op, p, c, flip]) => ({ [op]: flip ? [c, { var: p }] : [{ var: p }, c] })),
  fc
    .tuple(fc.constantFrom('<', '<='), scalar, fc.constantFrom(...PATHS), scalar)
    .map(([op, a, p, b]) => ({ [op]: [a, { var: p }, b] })),
  fc
    .tuple(fc.constantFrom(...PATHS), fc.array(scalar, { maxLength: 10 }))
    .map(([p, list]) => ({ in: [{ var: [p, list[0]] }, list] })),
  fc.tuple(scalar, fc.constantFrom(...PATHS)).map(([c, p]) => ({ in: [c, { var: p }] })),
  fc.array(fc.constantFrom(...PATHS), { maxLength: 4 }).map((keys) => ({ missing: keys })),
  fc
    .tuple(fc.integer({ min: 0, max: 3 }), fc.array(fc.constantFrom(...PATHS), { maxLength: 4 }))
    .map(([n, keys]) => ({ missing_some: [n, keys] })),
  fc.constantFrom(...PATHS).map((p) => ({ '!!': { var: p } })),
  fc
    .tuple(fc.constantFrom(...PATHS), fc.constantFrom(2, 3, -2, 0.5), scalar)
    .map(([p, k, c]) => ({ '==': [{ '%': [{ var: p }, k] }, c] })),
  fc
    .tuple(fc.constantFrom('-', '*'), fc.constantFrom(...PATHS), fc.constantFrom(...PATHS), scalar)
    .map(([op, p, q, c]) => ({ '>=': [{ [op]: [{ var: p }, { var: [q, 0] }] }, c] })),
);

const condition = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, leaf, tie('group')),
  group: fc.oneof(
    fc
      .tuple(fc.constantFrom('and', 'or'), fc.array(tie('node'), { minLength: 1, maxLength: 4 }))
      .map(([op, nodes]) => ({ [op]: nodes })),
    tie('node').map((node) => ({ '!': node })),
    tie('node').map((node) => ({ '!!': node })),
    fc.tuple(tie('node'), tie('node'), tie('node')).map(([a, b, c]) => ({ if: [a, b, c] })),
    fc.tuple(fc.constantFrom(...PATHS), tie('node')).map(([p, node]) => ({ some: [{ var: p }, node] })),
  ),
})).node;

const reference = (r: unknown, d: unknown) => outcome(() => jsonLogic.apply(r as jsonLogic.RulesLogic, d));

/** Asserts that `compiled` (compileLogic's function for r) and applyLogic give json-logic-js's outcome on d. */
function expectReferenceOutcome(r: unknown, d: unknown, compiled: (d: unknown) => unknown, label?: string) {
  const expected = reference(r, d);
  expect(
    sameOutcome(
      expected,
      outcome(() => compiled(d)),
    ),
    label,
  ).toBe(true);
  expect(
    sameOutcome(
      expected,
      outcome(() => applyLogic(r, d)),
    ),
    label,
  ).toBe(true);
  return expected;
}

describe('differential: compileLogic/applyLogic vs json-logic-js', () => {
  it('agree on random rules and data', () => {
    fc.assert(
      fc.property(rule, data, (r, d) => {
        const expected = reference(r, d);
        // Copies, so caching by identity or by JSON text is exercised too.
        const compiled = outcome(() => compileLogic(structuredClone(r))(d));
        const interpreted = outcome(() => applyLogic(r, d));
        return sameOutcome(expected, compiled) && sameOutcome(expected, interpreted);
      }),
      { numRuns: 10_000 },
    );
  });

  it('agree with a rule compiled once and run over many data', () => {
    fc.assert(
      fc.property(rule, fc.array(data, { minLength: 1, maxLength: 8 }), (r, ds) => {
        const fn = outcome(() => compileLogic(r));
        return ds.every((d) => {
          const expected = reference(r, d);
          return sameOutcome(expected, fn.ok ? outcome(() => (fn.value as (x: unknown) => unknown)(d)) : { ok: false });
        });
      }),
      { numRuns: 3000 },
    );
  });

  it('agree on trigger-condition-like trees', () => {
    fc.assert(
      fc.property(condition, fc.array(data, { minLength: 1, maxLength: 6 }), (r, ds) => {
        const fn = compileLogic(r);
        return ds.every((d) => {
          const expected = reference(r, d);
          return (
            sameOutcome(
              expected,
              outcome(() => fn(d)),
            ) &&
            sameOutcome(
              expected,
              outcome(() => applyLogic(r, d)),
            )
          );
        });
      }),
      { numRuns: 4000 },
    );
  });

  it('agree on counterexamples found before', () => {
    const cases: [unknown, unknown][] = [
      // An undefined array item is the item rule's data, not the outer data.
      [{ filter: [[{ and: [] }], { missing_some: [1, ['constructor']] }] }, ''],
      [{ map: [[null, { and: [] }], { var: 'length' }] }, 'abc'],
      // join's ToString throws for a Symbol; String() does not.
      [{ cat: ['x', { var: 'a' }] }, { a: Symbol('s') }],
      // filter, map and reduce skip holes (Array.prototype methods); all/none/some visit them.
      // biome-ignore lint/suspicious/noSparseArray: a hole is the point
      [{ filter: [{ var: '' }, { '!': { var: '' } }] }, [, 0]],
      // biome-ignore lint/suspicious/noSparseArray: a hole is the point
      [{ map: [{ var: '' }, 1] }, [, 0]],
      // biome-ignore lint/suspicious/noSparseArray: a hole is the point
      [{ reduce: [{ var: '' }, { '+': [{ var: 'accumulator' }, 1] }, 0] }, [, 0]],
      // biome-ignore lint/suspicious/noSparseArray: a hole is the point
      [{ all: [{ var: '' }, { '!': { var: '' } }] }, [, 0]],
    ];
    for (const [r, d] of cases) expectReferenceOutcome(r, d, (x) => compileLogic(r)(x));
  });

  it('agree when an object on a path cannot be read: the exception comes exactly where json-logic-js reaches it', () => {
    const revoked = (): object => {
      const { proxy, revoke } = Proxy.revocable({}, {});
      revoke();
      return proxy;
    };
    // Each context with one of its objects unreadable: a throwing getter or a revoked proxy.
    const unreadable = (c: Record<string, Record<string, unknown>>, where: string, kind: number): unknown => {
      const poison = (target: Record<string, unknown>, key: string): Record<string, unknown> => {
        const copy = { ...target };
        if (kind === 0) {
          Object.defineProperty(copy, key, {
            enumerable: true,
            get() {
              throw new Error(`${key} is not readable`);
            },
          });
        } else copy[key] = revoked();
        return copy;
      };
      if (where === 'event.properties') return { ...c, event: poison(c.event ?? {}, 'properties') };
      return poison(c, where);
    };
    const rules = generateRules(200, 3);
    const contexts = generateContexts(20, 4) as Record<string, Record<string, unknown>>[];
    let throws = 0;
    let values = 0;
    for (const r of rules) {
      const fn = compileLogic(r);
      for (const c of contexts) {
        for (const where of ['event', 'trigger', 'user', 'event.properties']) {
          for (const kind of [0, 1]) {
            const d = unreadable(c, where, kind);
            const expected = expectReferenceOutcome(r, d, fn, `${JSON.stringify(r)} with ${where}`);
            if (expected.ok) values++;
            else throws++;
          }
        }
      }
    }
    // Both happen often: rules that short-circuit before the object and rules that reach it.
    expect(Math.min(throws, values)).toBeGreaterThan(1000);
  });

  it("agree on the benchmark's realistic rules and contexts", () => {
    const rules = generateRules(200, 1);
    const contexts = generateContexts(40, 2);
    for (const r of rules) {
      const fn = compileLogic(r);
      for (const c of contexts) expectReferenceOutcome(r, c, fn);
    }
  });
});
