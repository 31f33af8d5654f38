// Turning values from a rule into JavaScript source. This file is the whole injection surface of
// the code generator: rule strings and numbers reach generated code only through `stringLiteral`
// and `numberLiteral`; every other value is bound from a closure, never spliced.

export type Kind = 'bool' | 'num' | 'str' | 'null' | 'arr' | 'any';

export interface Expr {
  code: string;
  kind: Kind;
  /** Cannot throw and has no side effect, so it may be skipped, repeated or reordered. */
  pure: boolean;
  /** Present when the value is known at compile time. */
  constant?: { value: unknown };
  /** Present for an array literal of primitive constants (re-created on each evaluation). */
  items?: unknown[];
  /**
   * A boolean expression equal to the value's JSON Logic truthiness, computed without building
   * the value (e.g. `missing` without allocating the array), and the value to use when falsy.
   * Only set where re-evaluating `code` after `test` is unobservable.
   */
  test?: string;
  falsy?: string;
}

export const UNDEFINED: Expr = { code: 'void 0', kind: 'any', pure: true, constant: { value: undefined } };

export function stringLiteral(value: string): string {
  // JSON.stringify escapes quotes, backslashes and control characters; the two line separators
  // are legal in string literals since ES2019 but are escaped anyway for older parsers.
  return JSON.stringify(value)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const NUMBER_TEXT = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/;

export function numberLiteral(value: number): string {
  if (Number.isNaN(value)) return '(0/0)';
  if (value === Number.POSITIVE_INFINITY) return '(1/0)';
  if (value === Number.NEGATIVE_INFINITY) return '(-1/0)';
  if (Object.is(value, -0)) return '(-0)';
  const text = String(value);
  if (!NUMBER_TEXT.test(text)) throw new Error(`Unexpected number text ${text}`);
  return value < 0 ? `(${text})` : text;
}

export function kindOf(value: unknown): Kind {
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return 'num';
  if (typeof value === 'string') return 'str';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'arr';
  return 'any';
}

/** Primitive constants become literals; anything else is left to the caller to bind. */
export function primitiveLiteral(value: unknown): string | undefined {
  if (typeof value === 'string') return stringLiteral(value);
  if (typeof value === 'number') return numberLiteral(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value === null) return 'null';
  if (value === undefined) return 'void 0';
  return undefined;
}

export function unionKind(kinds: Kind[]): Kind {
  const first = kinds[0];
  if (first === undefined) return 'any';
  return kinds.every((k) => k === first) ? first : 'any';
}

/** Kinds whose JavaScript truthiness equals JSON Logic truthiness (only `[]` differs). */
export function jsTruthyMatches(kind: Kind): boolean {
  return kind === 'bool' || kind === 'num' || kind === 'str' || kind === 'null';
}
