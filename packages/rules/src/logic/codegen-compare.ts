import type { FunctionScope, Generator } from './codegen.ts';
import { type Expr, looseOf, tokenOf } from './emit.ts';
import { isPrimitive } from './runtime.ts';

// Comparisons and `in`. JavaScript's operators are json-logic-js's, so each is emitted as is; what
// is added is a split on the operand's type when the other side is a number or string constant:
// the common case compiles to a plain numeric or string comparison (and a property read that is
// not first converted to json-logic-js's null), only the rest reaches the generic, coercing one.
// Both branches apply the same operator to the same values, so results are identical.

const SET_THRESHOLD = 8;
const EQUALITY: Record<string, string> = { '==': '===', '!=': '!==' };

type Primitive = 'number' | 'string';

function primitiveType(value: unknown): Primitive | undefined {
  return typeof value === 'number' ? 'number' : typeof value === 'string' ? 'string' : undefined;
}

interface Split {
  /** Code for a value of the tested type, held in the temp. */
  fast: (t: string) => string;
  /** Code for any other value, held in the temp. */
  slow: (t: string) => string;
  /** The slow path treats undefined like null, so a raw read needs no conversion. */
  loose?: boolean;
  /** The slow path's result for every value of another type, when that is a constant. */
  miss?: string;
}

/**
 * `typeof e === type ? fast : slow` with e's value in a temp. For a raw property read the fast
 * path uses the read as is (a value of that type was found); the slow path first turns undefined
 * into what json-logic-js would have, unless the split says that cannot matter.
 */
function splitOn(g: Generator, scope: FunctionScope, e: Expr, type: Primitive, split: Split): string {
  const t = g.temp(scope);
  const test = (read: string): string => `typeof (${t} = ${read}) === "${type}"`;
  const other = split.miss ?? split.slow(t);
  if (e.raw === undefined) return `(${test(e.code)} ? ${split.fast(t)} : ${other})`;
  if (split.loose && e.raw.notFound === 'null') return `(${test(e.raw.read)} ? ${split.fast(t)} : ${other})`;
  const fix = `${t} === void 0 && (${t} = ${e.raw.notFound})`;
  return `(${test(e.raw.read)} ? ${split.fast(t)} : (${fix}, ${split.slow(t)}))`;
}

/** `==`, `!=`, `===`, `!==`, `>`, `>=` and two-operand `<`, `<=`. */
export function compare(g: Generator, scope: FunctionScope, a: Expr, op: string, b: Expr): string {
  const generic = `(${a.code} ${op} ${b.code})`;
  const constantOnRight = b.constant !== undefined;
  const x = constantOnRight ? a : b;
  const c = constantOnRight ? b : a;
  const type = primitiveType(c.constant?.value);
  if (type === undefined || x.constant !== undefined) return generic;
  // Evaluating a constant has no effect, so testing the other side first keeps the order.
  const apply = (operator: string) => (t: string) =>
    constantOnRight ? `${t} ${operator} ${c.code}` : `${c.code} ${operator} ${t}`;
  if (op === '===' || op === '!==') {
    // Values of another type are never strictly equal to the constant.
    return splitOn(g, scope, x, type, { fast: apply(op), slow: apply(op), loose: true, miss: `${op === '!=='}` });
  }
  const same = EQUALITY[op];
  if (same !== undefined) {
    if (x.kind === 'num' && type === 'number') return generic;
    // Same type on both sides: == is ===; null and undefined are == only to each other.
    return splitOn(g, scope, x, type, { fast: apply(same), slow: apply(op), loose: true });
  }
  if (type !== 'number' || x.kind === 'num') return generic;
  // Relations coerce null to 0 but undefined to NaN, so the slow path needs the exact value.
  return splitOn(g, scope, x, type, { fast: apply(op), slow: apply(op) });
}

/** Three-operand `<`/`<=` ("between"), whose middle operand is compared twice. */
export function between(g: Generator, scope: FunctionScope, a: Expr, op: string, b: Expr, c: Expr): string {
  const both = (t: string): string => `${a.code} ${op} ${t} && ${t} ${op} ${c.code}`;
  const numeric = (e: Expr): boolean => typeof e.constant?.value === 'number';
  if (numeric(a) && numeric(c) && b.constant === undefined && b.kind !== 'num') {
    return splitOn(g, scope, b, 'number', { fast: both, slow: both });
  }
  const t = g.temp(scope);
  return `(${a.code} ${op} (${t} = ${b.code}) && ${t} ${op} ${c.code})`;
}

export function emitIn(g: Generator, values: unknown[], scope: FunctionScope): Expr {
  const { used, wrap } = g.args(values, 2, scope);
  const [a, b] = used as [Expr, Expr];
  const discard = (result: string): Expr =>
    wrap({ code: a.pure ? result : `(${a.code}, ${result})`, kind: 'bool', pure: a.pure });

  if (b.items?.every(isPrimitive)) {
    const items = b.items;
    if (items.length === 0) return discard('false');
    const nullable = items.some((item) => item == null);
    if (items.length <= SET_THRESHOLD) {
      const slots = items.map((item) => tokenOf(item) ?? g.bind(item));
      const chain = (t: string): string => `(${slots.map((k) => `${t} === ${k}`).join(' || ')})`;
      const type = primitiveType(items[0]);
      if (type !== undefined && a.constant === undefined && items.every((item) => typeof item === type)) {
        const split = splitOn(g, scope, a, type, { fast: chain, slow: chain, loose: true, miss: 'false' });
        return wrap({ code: split, kind: 'bool', pure: a.pure });
      }
      const t = g.temp(scope);
      const needle = nullable ? a.code : (looseOf(a) ?? a.code);
      return wrap({ code: `(${t} = ${needle}, ${chain(t)})`, kind: 'bool', pure: a.pure });
    }
    // indexOf uses ===, Set#has SameValueZero: they differ only on NaN, which is left out.
    const set = new Set(items.filter((item) => !Number.isNaN(item)));
    const needle = nullable ? a.code : (looseOf(a) ?? a.code);
    return wrap({ code: `${g.bind(set)}.has(${needle})`, kind: 'bool', pure: a.pure });
  }
  if (b.constant !== undefined) {
    const v = b.constant.value;
    if (typeof v === 'string' && v !== '') {
      return wrap({ code: `(${g.bind(v)}.indexOf(${a.code}) !== -1)`, kind: 'bool', pure: false });
    }
    // Every other primitive is falsy or has no indexOf.
    return discard('false');
  }
  // inOp treats every falsy haystack alike, so undefined may stand for null.
  return wrap({ code: `${g.helper('inOp')}(${a.code}, ${looseOf(b) ?? b.code})`, kind: 'bool', pure: false });
}
