import jsonLogic from 'json-logic-js';
import { afterEach, describe, expect, it } from 'vitest';
import { generateSource } from './codegen.ts';
import { compileLogic } from './compile.ts';
import { defaultOperators } from './operators.ts';
import { outcome, sameOutcome } from './same-value.test-helper.ts';
import { validateLogic } from './validate-logic.ts';

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
  // The code generator's own placeholder for reads.
  '#0#',
  'a.#1#',
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

  it('never places rule values in the generated source', () => {
    // Our own fixed literals; everything else a rule supplies must be a slot (`k3`) or, for a
    // path segment that is a plain identifier, a `.name` member.
    const OWN = /"use strict"|"number"|"string"|""/g;
    const extra = [
      // biome-ignore lint/suspicious/noTemplateCurlyInString: an injection attempt.
      { '==': [{ var: 'x"); evil("' }, 'y`${z}`'] },
      { '>': [{ var: 'n' }, 1e21] },
    ];
    for (const s of PAYLOADS) {
      for (const rule of [...rulesFor(s), ...extra]) {
        if (validateLogic(rule).length > 0) continue;
        const { source } = generateSource(rule, defaultOperators);
        expect(source.replace(OWN, '')).not.toMatch(/["'`\\]/);
        if (!/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(s)) expect(source).not.toContain(s);
        expect(source).not.toContain('evil');
        expect(source).not.toContain('1e+21');
      }
    }
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
