import jsonLogic from 'json-logic-js';
import { describe, expect, it } from 'vitest';
import { generateSource } from './codegen.ts';
import { compileLogic } from './compile.ts';
import { factoryFor } from './factories.ts';
import { defaultOperators } from './operators.ts';

// Rules that differ only in their constants generate the same source and share one factory; each
// compiled rule must still see its own constants, whichever of them was compiled (and cached) first.

const PAIRS: [unknown, unknown, unknown][] = [
  [{ '>': [{ var: 'n' }, 1] }, { '>': [{ var: 'n' }, 5] }, { n: 3 }],
  [{ '==': [{ var: 'user.plan' }, 'pro'] }, { '==': [{ var: 'user.plan' }, 'free'] }, { user: { plan: 'pro' } }],
  [{ '===': [{ var: 'c' }, 'US'] }, { '===': [{ var: 'c' }, 'GB'] }, { c: 'GB' }],
  [{ in: [{ var: 'c' }, ['US', 'CA']] }, { in: [{ var: 'c' }, ['GB', 'DE']] }, { c: 'CA' }],
  [{ '<=': [0, { var: 'n' }, 10] }, { '<=': [20, { var: 'n' }, 30] }, { n: 25 }],
  [{ var: ['missing', 'a'] }, { var: ['missing', 'b'] }, {}],
  [{ cat: ['x', { var: 'n' }] }, { cat: ['y', { var: 'n' }] }, { n: 1 }],
  [{ in: ['vip', { var: 'tags' }] }, { in: ['beta', { var: 'tags' }] }, { tags: ['beta'] }],
  [{ missing_some: [1, ['a', 'b']] }, { missing_some: [2, ['a', 'b']] }, { a: 1 }],
  [{ '*': [{ var: 'p' }, 2] }, { '*': [{ var: 'p' }, 3] }, { p: '1.5' }],
];

describe('rules of the same shape', () => {
  it.each(PAIRS.map((p, i) => [i, ...p] as const))(
    '#%i share a factory but keep their own constants',
    (_i, a, b, data) => {
      const sourceA = generateSource(a, defaultOperators).source;
      const sourceB = generateSource(b, defaultOperators).source;
      expect(sourceA).toBe(sourceB);
      expect(factoryFor(sourceA)).toBe(factoryFor(sourceB));

      const expectedA = jsonLogic.apply(a as never, data);
      const expectedB = jsonLogic.apply(b as never, data);
      expect(expectedA).not.toEqual(expectedB);
      // Both orders, and copies: the identity and JSON-text caches must not hand one rule's function
      // (and so its constants) to the other.
      for (const [first, second, e1, e2] of [
        [a, b, expectedA, expectedB],
        [b, a, expectedB, expectedA],
      ] as const) {
        const f = compileLogic(structuredClone(first));
        const g = compileLogic(structuredClone(second));
        expect(f).not.toBe(g);
        expect(f(data)).toEqual(e1);
        expect(g(data)).toEqual(e2);
        expect(compileLogic(structuredClone(first))(data)).toEqual(e1);
      }
    },
  );

  it('reads path segments that are not identifiers through slots, like json-logic-js', () => {
    const data = { 'a-b': { '0': 'x', 'c d': 2 }, list: [7, 8] };
    for (const path of ['a-b.0', 'a-b.c d', 'list.1', 'list.length', 'a-b.x']) {
      const rule = { var: path };
      const { source } = generateSource(rule, defaultOperators);
      expect(source).not.toContain('a-b');
      expect(source).not.toContain('c d');
      expect(compileLogic(rule)(data)).toEqual(jsonLogic.apply(rule as never, data));
    }
  });
});
