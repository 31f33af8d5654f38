import jsonLogic from 'json-logic-js';
import { afterEach, describe, expect, it } from 'vitest';
import { generateSource } from './codegen.ts';
import { applyLogic, compileLogic } from './compile.ts';
import { createOperatorTable, defaultOperators } from './operators.ts';
import { outcome, sameOutcome } from './same-value.test-helper.ts';

// The code generator's specialisations, each against json-logic-js on the values where a shortcut
// could go wrong: memoised reads under short-circuits, `missing`/`missing_some` built from flags,
// `and`/`or`/`if` reduced to their operands' tests, and the type-split comparisons.

const reference = (rule: unknown, data: unknown) => outcome(() => jsonLogic.apply(rule as never, data));

function expectSame(rule: unknown, data: unknown): void {
  const expected = reference(rule, data);
  const compiled = outcome(() => compileLogic(rule)(data));
  const interpreted = outcome(() => applyLogic(rule, data));
  if (!sameOutcome(expected, compiled) || !sameOutcome(expected, interpreted)) {
    throw new Error(
      `${JSON.stringify(rule)} on ${JSON.stringify(data)}: expected ${JSON.stringify(expected)}, compiled ${JSON.stringify(compiled)}, interpreted ${JSON.stringify(interpreted)}`,
    );
  }
}

// An object whose conversion to a primitive throws, like {"toString":1,"valueOf":1} from JSON.
const THROWS = { toString: 1, valueOf: 1 };

// Values a data field may hold, including the ones JSON Logic's loose operators treat specially.
const VALUES: unknown[] = [
  undefined,
  null,
  true,
  false,
  0,
  -0,
  1,
  2,
  1.5,
  -3,
  Number.NaN,
  '',
  ' ',
  '0',
  '1',
  '2',
  '1.5',
  'a',
  'pro',
  [],
  [0],
  [1],
  ['pro'],
  [1, 2],
  {},
  THROWS,
];

const withX = (x: unknown): Record<string, unknown> => (x === undefined ? { u: { y: 1 } } : { u: { x, y: 1 } });

describe('type-split comparisons against a constant', () => {
  const CONSTANTS: unknown[] = [0, -0, 1, 1.5, -3, '', '0', '1', 'a', 'pro', null, true, false];
  const OPS = ['==', '!=', '===', '!==', '>', '>=', '<', '<='];

  it.each(OPS)('%s, constant on either side, every value type', (op) => {
    for (const c of CONSTANTS) {
      for (const x of VALUES) {
        const data = withX(x);
        expectSame({ [op]: [{ var: 'u.x' }, c] }, data);
        expectSame({ [op]: [c, { var: 'u.x' }] }, data);
        expectSame({ [op]: [{ var: ['u.x', c] }, c] }, data);
      }
    }
  });

  it('three-operand < and <= ("between"), in lists and in strings', () => {
    for (const x of VALUES) {
      const data = withX(x);
      for (const [lo, hi] of [
        [0, 2],
        [-3, 1.5],
        ['0', 2],
        [null, 1],
      ]) {
        expectSame({ '<': [lo, { var: 'u.x' }, hi] }, data);
        expectSame({ '<=': [lo, { var: 'u.x' }, hi] }, data);
      }
      for (const list of [
        ['pro', 'a'],
        [0, 1],
        [1, '1'],
        [null, 'a'],
        ['', ' '],
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      ]) {
        expectSame({ in: [{ var: 'u.x' }, list] }, data);
      }
      expectSame({ in: [{ var: 'u.x' }, 'a pro string'] }, data);
      expectSame({ in: ['pro', { var: 'u.x' }] }, data);
      expectSame({ in: [1, { var: 'u.x' }] }, data);
    }
  });
});

describe('memoised reads', () => {
  afterEach(() => {
    jsonLogic.rm_operation('bump');
  });

  it('reads a path once and reuses it, whichever occurrence runs first', () => {
    const x = { var: 'u.x' };
    const rules = [
      { and: [{ '>': [x, 0] }, { '<': [x, 2] }] },
      { or: [{ and: [{ var: 'u.y' }, { '==': [x, 'a'] }] }, { '===': [x, 1] }, { '!': x }] },
      { if: [{ '==': [{ var: 'u.y' }, 2] }, { '>': [x, 1] }, { '<': [x, 1] }] },
      { or: [{ missing_some: [1, ['u.x', 'u.x']] }, x] },
      { and: [{ '!': { missing: ['u.x'] } }, { '==': [{ '%': [x, 2] }, 0] }, { cat: [x, x] }] },
      { '-': [x, { var: ['u.x', 0] }] },
      { some: [{ var: 'u.list' }, { and: [{ '>': [{ var: 'n' }, 0] }, { '<': [{ var: 'n' }, 3] }] }] },
    ];
    for (const rule of rules) {
      // Each rule reads a path twice: through a memo variable.
      expect(generateSource(rule, defaultOperators).source).toMatch(/r\d+ = U/);
      for (const value of VALUES) {
        for (const y of [0, 2, 'a']) {
          expectSame(rule, { u: { x: value, y, list: [{ n: value }, { n: 1 }] } });
        }
      }
    }
  });

  it('reads where json-logic-js does when a custom operator, which receives the data, could change it', () => {
    const operators = createOperatorTable({
      bump: (_args, data) => {
        const d = data as { a: number; o: { x: number } };
        d.a += 1;
        d.o = { x: d.o.x + 1 };
        return true;
      },
    });
    jsonLogic.add_operation('bump', function (this: { a: number; o: { x: number } }) {
      this.a += 1;
      this.o = { x: this.o.x + 1 };
      return true;
    });
    const rule = {
      and: [
        { '==': [{ var: 'a' }, 1] },
        { '==': [{ var: 'o.x' }, 1] },
        { bump: [] },
        { '==': [{ var: 'a' }, 2] },
        { '==': [{ var: 'o.x' }, 2] },
      ],
    };
    const { source } = generateSource(rule, operators);
    expect(source).not.toMatch(/r\d+ = U|\bo\d+ = /);
    expect(compileLogic(rule, { operators })({ a: 1, o: { x: 1 } })).toBe(true);
    expect(jsonLogic.apply(rule as never, { a: 1, o: { x: 1 } })).toBe(true);
  });
});

describe('missing and missing_some', () => {
  const KEYS = ['a', 'b.c', 'b', 'z', 'x.y.z', '', 0, 1];
  const DATA: unknown[] = [
    null,
    undefined,
    {},
    { a: 1, b: { c: '' } },
    { a: '', b: { c: 0 }, z: false },
    { a: null, b: null, z: [] },
    { a: 0, b: { c: null }, 0: 'x', x: { y: { z: 1 } } },
    ['first', ''],
    'ab',
  ];
  const subsets = (n: number): unknown[][] =>
    Array.from({ length: 24 }, (_, i) => Array.from({ length: n }, (_, j) => KEYS[(i * 3 + j * 5) % KEYS.length]));

  it('returns the same fresh arrays, alone and as operands', () => {
    for (let n = 0; n <= 4; n++) {
      for (const keys of subsets(n)) {
        const missing = { missing: keys };
        const some = { missing_some: [1, keys] };
        const someTwo = { missing_some: [2, keys] };
        const rules = [
          missing,
          some,
          someTwo,
          { missing: [keys, 'ignored'] },
          { and: [some, { var: 'a' }] },
          { or: [some, { var: 'a' }] },
          { or: [missing, 0] },
          { and: [true, missing] },
          { '!': { and: [{ or: [{ var: 'a' }, some] }, missing] } },
          { '!!': { or: [missing, { var: 'z' }] } },
          { if: [{ and: [some, { var: 'b' }] }, 'yes', { or: [missing, 'no'] }] },
          { filter: [[{}, { a: 1 }, { a: 1, b: { c: 2 } }], { missing_some: [1, keys] }] },
        ];
        for (const rule of rules) for (const data of DATA) expectSame(rule, data);
      }
    }
  });

  it('never hands out the same array twice', () => {
    for (const rule of [{ missing: ['a', 'b'] }, { missing_some: [2, ['a', 'b']] }, { or: [{ missing: ['a'] }, 1] }]) {
      const fn = compileLogic(rule);
      const first = fn({}) as unknown[];
      const second = fn({}) as unknown[];
      expect(first).toEqual(second);
      expect(first).not.toBe(second);
      first.push('changed');
      expect(fn({})).toEqual(second);
    }
  });

  it('builds the array only where its value can be observed', () => {
    const { source } = generateSource(
      { '!': { and: [{ var: 'a' }, { missing_some: [1, ['b', 'c']] }] } },
      defaultOperators,
    );
    const body = source.slice(source.indexOf('return function rule'));
    // No array literal ([] or [k1, ...]) in the function: only flags and a count.
    expect(body).not.toMatch(/\[(k\d|\])/);
  });
});

describe('and, or and if as tests', () => {
  const OPERANDS: unknown[] = [
    { var: 'a' },
    { var: 'b' },
    { missing: ['a'] },
    { missing_some: [1, ['a', 'b']] },
    { '<': [{ var: 't' }, 1] },
    { merge: [{ var: 'a' }] },
    0,
    '',
    'x',
    [],
    [0],
  ];
  const DATA: unknown[] = [
    {},
    { a: 0, b: '' },
    { a: [], b: [0] },
    { a: 'x', b: 2, t: 0 },
    { a: 1, t: THROWS },
    { a: [], t: THROWS },
  ];

  it('give the truthiness json-logic-js gives, throwing where it throws', () => {
    for (const p of OPERANDS) {
      for (const q of OPERANDS) {
        for (const op of ['and', 'or']) {
          for (const rule of [
            { '!': { [op]: [p, q] } },
            { '!!': { [op]: [p, q, p] } },
            { if: [{ [op]: [p, q] }, 1, 2] },
            { '!': { if: [p, q, { [op]: [q, p] }] } },
            { '!!': { if: [p, q] } },
            { none: [[1, 2], { [op]: [p, q] }] },
          ]) {
            for (const data of DATA) expectSame(rule, data);
          }
        }
      }
    }
  });

  it('`!!` of a test is a boolean', () => {
    const fn = compileLogic({ '!!': { and: [{ var: 'a' }, { var: 'b' }] } });
    expect(fn({ a: 1, b: 'x' })).toBe(true);
    expect(fn({ a: 1, b: [] })).toBe(false);
  });
});

describe('constants', () => {
  it('are bound as equal strings whatever copy of the rule they come from', () => {
    const rule = { in: [{ var: 'p' }, ['pro', 'free', 'a'.repeat(200)]] };
    const copy = structuredClone(rule);
    const { constants } = generateSource(copy, defaultOperators);
    expect(new Set(constants.filter((c) => typeof c === 'string'))).toEqual(new Set(['pro', 'free', 'a'.repeat(200)]));
    expect(compileLogic(copy)({ p: 'a'.repeat(200) })).toBe(true);
  });
});
