import jsonLogic from 'json-logic-js';
import { afterEach, describe, expect, it } from 'vitest';
import { generateSource } from './codegen.ts';
import { compileLogic } from './compile.ts';
import { defaultOperators } from './operators.ts';
import { outcome, sameOutcome } from './same-value.test-helper.ts';

// Rule strings reach generated code only as JSON string literals or closure constants. These
// rules try to break out of a literal; a break-out would set globalThis.__pwned or throw a
// SyntaxError at compile time.

const PAYLOADS = [
  '"); globalThis.__pwned = 1; ("',
  "'); globalThis.__pwned = 1; ('",
  '`; globalThis.__pwned = 1; `',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the point is a template-literal break-out.
  '${globalThis.__pwned = 1}',
  '\\',
  '\\"); globalThis.__pwned = 1; //',
  '\u2028globalThis.__pwned = 1;\u2029',
  '*/ globalThis.__pwned = 1; /*',
  '</script><script>globalThis.__pwned = 1</script>',
  '\n}); globalThis.__pwned = 1; (function(){\n',
  '__proto__',
  'constructor',
  'prototype',
  'constructor.constructor',
  '__proto__.polluted',
  '\u0000\ud800',
];

declare global {
  var __pwned: unknown;
}

afterEach(() => {
  delete globalThis.__pwned;
});

function rulesFor(s: string): unknown[] {
  return [
    s,
    { var: s },
    { var: [s, s] },
    { var: `a.${s}` },
    { '==': [{ var: 'a' }, s] },
    { in: [{ var: 'a' }, [s, 'x']] },
    { in: [s, { var: 'a' }] },
    { in: [{ var: 'a' }, s] },
    { cat: [s, { var: s }] },
    { missing: [s, `${s}.x`] },
    { missing_some: [1, [s, 'a']] },
    { if: [{ var: s }, s, { [s === 'var' ? 'x' : 'cat']: [s] }] },
    { map: [{ var: 'list' }, { cat: [s, { var: s }] }] },
    { some: [[s], { '===': [{ var: '' }, s] }] },
    { [s]: 1, other: s },
    [s, { '!==': [s, { var: ['a', s] }] }],
  ];
}

describe('code generation never executes rule text', () => {
  it.each(PAYLOADS)('payload %j', (s) => {
    const data = { a: s, [s]: s, list: [s, { [s]: 1 }] };
    for (const rule of rulesFor(s)) {
      const compiled = outcome(() => compileLogic(rule)(data));
      expect(globalThis.__pwned).toBeUndefined();
      expect(
        sameOutcome(
          compiled,
          outcome(() => jsonLogic.apply(rule as never, data)),
        ),
      ).toBe(true);
    }
  });

  it('keeps operator names out of the generated source', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an injection attempt.
    const { source } = generateSource({ '==': [{ var: 'x"); evil("' }, 'y`${z}`'] }, defaultOperators);
    expect(source).not.toContain('evil(")');
    expect(source).toContain(JSON.stringify('x"); evil("'));
  });

  it('reads prototypes like json-logic-js but never writes to them', () => {
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    const rules = [
      { var: '__proto__' },
      { var: 'constructor.prototype' },
      { var: 'a.__proto__.constructor' },
      { missing: ['__proto__.x', 'constructor'] },
      { map: [{ var: 'list' }, { var: '__proto__' }] },
    ];
    for (const rule of rules) {
      const data = { a: {}, list: [{}, []] };
      expect(
        sameOutcome(
          outcome(() => compileLogic(rule)(data)),
          outcome(() => jsonLogic.apply(rule as never, data)),
        ),
      ).toBe(true);
    }
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects `method` and dotted operators before anything runs', () => {
    for (const rule of [
      { method: ['abc', 'toUpperCase'] },
      { 'Math.abs': [-1] },
      { constructor: [] },
      { __proto__: null, hasOwnProperty: [1] },
    ]) {
      expect(() => compileLogic(rule)).toThrow(/Unknown JSON Logic operator/);
    }
  });
});
