import fc from 'fast-check';
import { BUILTIN_OPERATORS } from './operators.ts';

// fast-check arbitraries for the differential test: JSON Logic rules (any operator, any nesting),
// trigger-condition-like trees, and data — JSON values plus values only JavaScript callers can pass.

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

export const scalar = fc.oneof(
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

export const data = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, scalar, exotic, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(fc.constantFrom(...KEYS), tie('value'), { maxKeys: 4 }),
})).value;

const SCOPED = ['filter', 'map', 'reduce', 'all', 'none', 'some'];
// Every built-in operator, so a new one is compared with json-logic-js at once: `var` and the
// scoped ones have generators of their own, and `log` only prints.
const OPS = BUILTIN_OPERATORS.filter((op) => op !== 'var' && op !== 'log' && !SCOPED.includes(op));

export const rule = fc.letrec((tie) => ({
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

export const condition = fc.letrec((tie) => ({
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
