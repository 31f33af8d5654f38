import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cleanText,
  cleanTextValues,
  describeTextIssue,
  findTextIssue,
  mayHoldUnstorableText,
  textProblem,
  timestampProblem,
} from './text-policy.ts';

// Strings of any UTF-16 code units: NULs, lone and paired surrogates included.
const anyText = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) });
const anyJson = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, anyText, fc.integer(), fc.boolean(), tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(anyText, tie('value'), { maxKeys: 4 }),
})).value;

/** What Postgres keeps: text whose UTF-8 decodes to the same string and holds no NUL. */
const survivesPostgres = (text: string) =>
  !text.includes('\u0000') && Buffer.from(text, 'utf8').toString('utf8') === text;

describe('text policy', () => {
  it.each([
    ['', undefined],
    ['plain ascii', undefined],
    ['é 😀 中文', undefined],
    ['a\u0000b', 'nul'],
    ['\ud800', 'lone_surrogate'],
    ['x\udc00', 'lone_surrogate'],
    ['😀\ud83d', 'lone_surrogate'],
    ['\ude00\ud83d', 'lone_surrogate'],
  ])('textProblem(%j) is %s', (text, problem) => {
    expect(textProblem(text)).toBe(problem);
  });

  it('agrees with what survives a round trip to Postgres, on any string', () => {
    fc.assert(fc.property(anyText, (text) => (textProblem(text) === undefined) === survivesPostgres(text)));
  });

  it('cleans any string into one that can be stored, changing nothing that could', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const clean = cleanText(text);
        expect(textProblem(clean)).toBeUndefined();
        expect(clean.length).toBe(text.length);
        if (textProblem(text) === undefined) expect(clean).toBe(text);
      }),
    );
  });

  it('finds the first bad string or key with its path', () => {
    expect(findTextIssue({ a: 'ok', b: [1, { c: 'x\u0000' }] })).toEqual({
      path: ['b', 1, 'c'],
      problem: 'nul',
      inKey: false,
    });
    expect(findTextIssue({ a: { 'k\ud800': 1 } })).toEqual({
      path: ['a', 'k\ud800'],
      problem: 'lone_surrogate',
      inKey: true,
    });
    expect(findTextIssue({ a: 'x\u0000' }, { values: false })).toBeUndefined();
    expect(findTextIssue('\u0000')).toEqual({ path: [], problem: 'nul', inKey: false });
  });

  it('walks values nested far deeper than a call stack allows', () => {
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findTextIssue(deep)?.path).toHaveLength(100_000);
  });

  it('describes an issue for people, with the bad characters escaped', () => {
    expect(describeTextIssue({ path: ['properties', 'na\u0000me'], problem: 'nul', inKey: true })).toBe(
      'properties.na\\u0000me: this key contains a NUL character (\\u0000), which cannot be stored',
    );
    expect(describeTextIssue({ path: ['userId'], problem: 'lone_surrogate', inKey: false })).toBe(
      'userId: contains an unpaired UTF-16 surrogate (a broken character), which cannot be stored',
    );
  });

  it('cleans string values and keeps keys, "__proto__" included, as data', () => {
    const value = JSON.parse('{"a":"x\\u0000","__proto__":{"b":["\\ud800"]}}');
    const clean = cleanTextValues(value);
    expect(findTextIssue(clean)).toBeUndefined();
    expect(Object.hasOwn(clean, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(clean)).toBe(Object.prototype);
    expect(JSON.stringify(clean)).toBe('{"a":"x\ufffd","__proto__":{"b":["\ufffd"]}}');
    const fine = { a: 'ok' };
    expect(cleanTextValues(fine)).toBe(fine);
  });

  it('needs no walk for JSON text without an escape that could decode to bad text', () => {
    fc.assert(
      fc.property(anyJson, (value) => {
        const json = JSON.stringify(value);
        if (!mayHoldUnstorableText(json)) expect(findTextIssue(JSON.parse(json))).toBeUndefined();
      }),
    );
    expect(mayHoldUnstorableText('{"a":"\\\\u0000"}')).toBe(false);
    expect(mayHoldUnstorableText('{"a":"\\\\\\u0000"}')).toBe(true);
    expect(mayHoldUnstorableText('{"a":"\\uD800"}')).toBe(true);
  });

  it.each([
    ['0001-01-01T00:00:00.000Z', undefined],
    ['9999-12-31T23:59:59.999Z', undefined],
    ['2026-05-01T10:00:00+02:00', undefined],
    ['0000-01-01T00:00:00Z', 'must be a date between the years 0001 and 9999'],
    ['0001-01-01T00:00:00+01:00', 'must be a date between the years 0001 and 9999'],
    ['+010000-01-01T00:00:00Z', 'must be a date between the years 0001 and 9999'],
    ['soon', 'must be a valid date'],
  ])('timestampProblem(%s)', (value, problem) => {
    expect(timestampProblem(value)).toBe(problem);
  });
});
