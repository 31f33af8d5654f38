import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyLogic, compileLogic } from './compile.ts';

// The classic JsonLogic suite (json-logic/compat-tables); source and licence in its README.
const suiteUrl = new URL('../../conformance/jsonlogic/compatible.json', import.meta.url);
const suite = JSON.parse(readFileSync(suiteUrl, 'utf8')) as unknown[];
const cases = suite.filter(
  (c): c is { description: string; rule: unknown; data?: unknown; result: unknown } => typeof c === 'object',
);

describe('JsonLogic conformance (compatible.json)', () => {
  it('has all 278 cases', () => {
    expect(cases).toHaveLength(278);
  });

  it.each(cases.map((c, i) => [i, c.description, c] as const))('compiled #%i %s', (_i, _d, c) => {
    expect(compileLogic(c.rule)(c.data ?? null)).toStrictEqual(c.result);
  });

  it.each(cases.map((c, i) => [i, c.description, c] as const))('interpreted #%i %s', (_i, _d, c) => {
    expect(applyLogic(c.rule, c.data ?? null)).toStrictEqual(c.result);
  });

  it.each(cases.map((c, i) => [i, c.description, c] as const))('interpreter fallback #%i %s', (_i, _d, c) => {
    expect(compileLogic(c.rule, { codegen: false })(c.data ?? null)).toStrictEqual(c.result);
  });
});
