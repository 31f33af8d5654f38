// Operator semantics shared by the interpreter and by generated code. Each helper reproduces
// json-logic-js 2.0.5 exactly, quirks included (parseFloat coercion, `[]` is falsy, PHP-style
// negative substr length), because "equal to json-logic-js in every result" is the contract.
// The loops and the builders also charge the evaluation budget (budget.ts); `weight` is the
// size of the loop's item rule.

import { built, chargeItem, chargeSize, recordSize, sizeOf } from './budget.ts';

export function truthy(value: unknown): boolean {
  if (Array.isArray(value) && value.length === 0) return false;
  return !!value;
}

// parseFloat of a number is the number itself except -0 -> 0; `x + 0` does exactly that
// without a string round trip.
export function toFloat(value: unknown): number {
  if (typeof value === 'number') return value + 0;
  // parseFloat(String(null/undefined)) is NaN; skipping the string round trip matters because
  // generated code passes undefined for absent properties.
  return value == null ? Number.NaN : Number.parseFloat(value as string);
}

export function varPath(data: unknown, path: unknown, fallback: unknown): unknown {
  const notFound = fallback === undefined ? null : fallback;
  if (path === undefined || path === '' || path === null) return data;
  const segments = String(path).split('.');
  let current = data;
  for (const segment of segments) {
    if (current === null || current === undefined) return notFound;
    current = (current as Record<string, unknown>)[segment];
    if (current === undefined) return notFound;
  }
  return current;
}

export function inOp(needle: unknown, haystack: unknown): boolean {
  const h = haystack as { indexOf?: (v: unknown) => number } | null;
  if (!h || typeof h.indexOf === 'undefined') return false;
  return (h.indexOf as (v: unknown) => number)(needle) !== -1;
}

export function cat(...parts: unknown[]): string {
  return parts.join('');
}

/** `cat`'s conversion of one part: Array.prototype.join's ToString, which throws for a Symbol (String() does not). */
export function toText(value: unknown): string {
  return value == null ? '' : typeof value === 'string' ? value : `${value as string}`;
}

export function substr(source: unknown, start: unknown, end: unknown): string {
  if ((end as number) < 0) {
    const tail = String(source).substr(start as number);
    return tail.substr(0, tail.length + (end as number));
  }
  return String(source).substr(start as number, end as number);
}

export function plus(...args: unknown[]): number {
  let acc = 0;
  for (const a of args) acc = acc + toFloat(a);
  return acc;
}

export function times(...args: unknown[]): unknown {
  if (args.length === 0) throw new TypeError('Reduce of empty array with no initial value');
  let acc: unknown = args[0];
  for (let i = 1; i < args.length; i++) acc = toFloat(acc) * toFloat(args[i]);
  return acc;
}

export function minus(a: unknown, b: unknown): number {
  return b === undefined ? -(a as number) : (a as number) - (b as number);
}

export function lessThan(a: unknown, b: unknown, c: unknown): boolean {
  return c === undefined
    ? (a as number) < (b as number)
    : (a as number) < (b as number) && (b as number) < (c as number);
}

export function lessOrEqual(a: unknown, b: unknown, c: unknown): boolean {
  return c === undefined
    ? (a as number) <= (b as number)
    : (a as number) <= (b as number) && (b as number) <= (c as number);
}

export function merge(...args: unknown[]): unknown[] {
  // Charged before it is built (the result holds the arrays' items and the other arguments).
  let size = 0;
  for (const a of args) size += Array.isArray(a) ? sizeOf(a) : typeof a === 'string' ? a.length + 1 : 1;
  chargeSize(size);
  let acc: unknown[] = [];
  for (const a of args) acc = acc.concat(a);
  return recordSize(acc, size);
}

export function logValue(value: unknown): unknown {
  console.log(value);
  return value;
}

// filter, map and reduce skip an array's holes, as json-logic-js's Array.prototype methods do
// (map keeps them in its result); all, none and some visit them as undefined, like its loops.
// Each iteration is charged before its item rule runs, holes included (generated loops do the same).
export function filterOp(items: unknown, fn: (d: unknown) => unknown, weight: number): unknown[] {
  if (!Array.isArray(items)) return [];
  const out: unknown[] = [];
  for (let i = 0; i < items.length; i++) {
    if (!(i in items)) continue;
    chargeItem(weight, items[i]);
    if (truthy(fn(items[i]))) out.push(items[i]);
  }
  return built(out);
}

export function mapOp(items: unknown, fn: (d: unknown) => unknown, weight: number): unknown[] {
  if (!Array.isArray(items)) return [];
  const out: unknown[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) {
    if (!(i in items)) continue;
    chargeItem(weight, items[i]);
    out[i] = fn(items[i]);
  }
  return built(out);
}

export function reduceOp(items: unknown, fn: (d: unknown) => unknown, initial: unknown, weight: number): unknown {
  if (!Array.isArray(items)) return initial;
  let accumulator = initial;
  for (let i = 0; i < items.length; i++) {
    if (!(i in items)) continue;
    // The item rule sees both the item and the accumulator: it may read or convert either.
    chargeItem(weight, items[i]);
    chargeItem(weight, accumulator);
    accumulator = fn({ current: items[i], accumulator });
  }
  return accumulator;
}

export function allOp(items: unknown, fn: (d: unknown) => unknown, weight: number): boolean {
  if (!Array.isArray(items) || !items.length) return false;
  for (let i = 0; i < items.length; i++) {
    chargeItem(weight, items[i]);
    if (!truthy(fn(items[i]))) return false;
  }
  return true;
}

export function noneOp(items: unknown, fn: (d: unknown) => unknown, weight: number): boolean {
  if (!Array.isArray(items) || !items.length) return true;
  for (let i = 0; i < items.length; i++) {
    chargeItem(weight, items[i]);
    if (truthy(fn(items[i]))) return false;
  }
  return true;
}

export function someOp(items: unknown, fn: (d: unknown) => unknown, weight: number): boolean {
  if (!Array.isArray(items) || !items.length) return false;
  for (let i = 0; i < items.length; i++) {
    chargeItem(weight, items[i]);
    if (truthy(fn(items[i]))) return true;
  }
  return false;
}

export function isPrimitive(value: unknown): boolean {
  return value === null || (typeof value !== 'object' && typeof value !== 'function');
}
