// Turning values from a rule into JavaScript source. This file is the whole injection surface of
// the code generator. Rule values (strings, numbers, lists, objects) never become source text:
// they are bound as closure slots (`k0`, `k1`, ...), which is also what lets rules that differ
// only in their constants share one generated function. The only rule text placed in source is a
// property name made of ASCII identifier characters (checked by `memberName`), so that path reads
// stay named property loads; any other name is read through a slot.

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
   * An expression whose JavaScript truthiness is the value's JSON Logic truthiness, computed
   * without building the value (`missing` without allocating the array, `and`/`or` from their
   * operands' tests); it may replace `code` wherever only truthiness is used. `falsy` is the
   * value to use when falsy: it is only set where evaluating `code` (or `truthy`) after `test`
   * is unobservable, and consumers use `test` then the value only when `falsy` is set.
   */
  test?: string;
  falsy?: string;
  /** The value when `test` has just been evaluated and was true (may use what `test` stored). */
  truthy?: string;
  /**
   * For a `var` of a constant path with a constant default: the bare property read, which gives
   * undefined where json-logic-js gives `notFound` (null or the default). Consumers that cannot
   * tell the two apart skip the conversion; see `looseOf`.
   */
  raw?: { read: string; notFound: string };
  /** Never undefined (kinds other than 'any' never are; a `var` of a path never is either). */
  defined?: boolean;
}

/**
 * The bare read where undefined may stand for null: for truthiness, parseFloat (`+`, `*`), `cat`
 * and equality with a string or number, which all treat the two alike.
 */
export function looseOf(e: Expr): string | undefined {
  return e.raw !== undefined && e.raw.notFound === 'null' ? e.raw.read : undefined;
}

export const UNDEFINED: Expr = { code: 'void 0', kind: 'any', pure: true, constant: { value: undefined } };

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `name` when it can be written as `.name` (no quote, escape or non-ASCII character can occur). */
export function memberName(name: string): string | undefined {
  return IDENTIFIER.test(name) ? name : undefined;
}

/** Counts the generator computes itself (list lengths), never values taken from a rule. */
export function countLiteral(value: number): string {
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`Unexpected count ${value}`);
  return String(value);
}

export function kindOf(value: unknown): Kind {
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return 'num';
  if (typeof value === 'string') return 'str';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'arr';
  return 'any';
}

/** The fixed tokens for true/false/null/undefined; every other value is bound to a slot. */
export function tokenOf(value: unknown): string | undefined {
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
