import type { FunctionScope, Generator } from './codegen.ts';
import { countLiteral, type Expr, tokenOf } from './emit.ts';
import { isPrimitive } from './runtime.ts';

// `var`, `missing` and `missing_some`: the operators that read data. A constant path is compiled
// to property reads with json-logic-js's exact stop conditions (null/undefined before a step,
// undefined after it; see `prefix` in codegen.ts). Plain reads only: nothing is ever written, and
// `__proto__`/`constructor` resolve exactly as they do in json-logic-js.

/** The raw read: the value at `path`, or undefined where json-logic-js finds nothing (or null). */
function read(g: Generator, scope: FunctionScope, path: unknown): string {
  if (path === undefined || path === '' || path === null) return 'd';
  const segments = String(path).split('.');
  const parent = g.prefix(scope, segments.slice(0, -1));
  return g.load(scope, `${parent}${g.member(segments[segments.length - 1] as string)}`);
}

function access(g: Generator, scope: FunctionScope, path: unknown, notFound: string): string {
  const raw = read(g, scope, path);
  if (raw === 'd') return raw;
  const t = g.temp(scope);
  return `((${t} = ${raw}) !== void 0 ? ${t} : ${notFound})`;
}

export function emitVar(g: Generator, values: unknown[], scope: FunctionScope): Expr {
  // A literal path is used as source structure, not as a value, so it is not generated (bound).
  const literalPath = isPrimitive(values[0]);
  const { used, wrap } = g.args(literalPath ? [null, ...values.slice(1)] : values, 2, scope);
  const [path, fallback] = used as [Expr, Expr];
  if (!literalPath) {
    return wrap({ code: `${g.helper('varPath')}(d, ${path.code}, ${fallback.code})`, kind: 'any', pure: false });
  }
  const p = values[0];
  let prefix = '';
  let notFound: string;
  if (fallback.constant !== undefined) {
    notFound = fallback.constant.value === undefined ? 'null' : fallback.code;
  } else {
    const t = g.temp(scope);
    if (fallback.pure) {
      notFound = `((${t} = ${fallback.code}) === void 0 ? null : ${t})`;
    } else {
      // json-logic-js evaluates the default even when the path is found.
      prefix = `${t} = ${fallback.code}, `;
      notFound = `(${t} === void 0 ? null : ${t})`;
    }
  }
  const code = access(g, scope, p, notFound);
  if (prefix) return wrap({ code: `(${prefix}${code})`, kind: 'any', pure: false });
  // A found value is not undefined and "not found" is never undefined either (a default of
  // undefined becomes null); only the empty path returns the data itself, which may be.
  const defined = code !== 'd';
  const raw = defined && fallback.constant !== undefined ? { read: read(g, scope, p), notFound } : undefined;
  return wrap({ code, kind: 'any', pure: fallback.pure, defined, ...(raw ? { raw } : {}) });
}

function keyCode(g: Generator, key: unknown): string {
  return tokenOf(key) ?? g.bind(key);
}

/**
 * Inline `missing` over keys known at compile time: per key, a test that stores "is missing" in a
 * flag, and the array of missing keys built from the flags. Two keys or fewer are built as array
 * literals (allocated at their final size), more with pushes.
 */
function missingKeys(
  g: Generator,
  scope: FunctionScope,
  keys: unknown[],
): { flags: string[]; tests: string[]; array: string } {
  const v = g.temp(scope);
  const flags = keys.map(() => g.temp(scope));
  const tests = keys.map((key, i) => {
    const raw = read(g, scope, key);
    // A raw read gives undefined for "not found" (null to json-logic-js); `d` itself is exact.
    return `(${flags[i]} = (${v} = ${raw}) ${raw === 'd' ? '===' : '=='} null || ${v} === "")`;
  });
  const slots = keys.map((key) => keyCode(g, key));
  let array: string;
  if (keys.length <= 2) {
    const build = (i: number, present: string[]): string =>
      i === keys.length
        ? `[${present.join(', ')}]`
        : `(${flags[i]} ? ${build(i + 1, [...present, slots[i] as string])} : ${build(i + 1, present)})`;
    array = build(0, []);
  } else {
    const r = g.temp(scope);
    array = `(${[`${r} = []`, ...flags.map((f, i) => `${f} && ${r}.push(${slots[i]})`), r].join(', ')})`;
  }
  return { flags, tests, array };
}

function constantKeys(exprs: Expr[]): unknown[] | undefined {
  const first = exprs[0];
  if (first?.items !== undefined) return first.items;
  if (exprs.every((e) => e.constant !== undefined && isPrimitive(e.constant.value))) {
    return exprs.map((e) => e.constant?.value);
  }
  return undefined;
}

export function emitMissing(g: Generator, values: unknown[], scope: FunctionScope): Expr {
  const exprs = values.map((v) => g.gen(v, scope));
  const keys = constantKeys(exprs);
  if (keys?.every(isPrimitive)) {
    // With an array first, later arguments are only evaluated, never used.
    const ignored = exprs.slice(1).filter((e) => !e.pure && exprs[0]?.items !== undefined);
    const { tests, array } = missingKeys(g, scope, keys);
    const code = `(${[...ignored.map((e) => e.code), ...tests, array].join(', ')})`;
    if (ignored.length) return { code, kind: 'arr', pure: false };
    // Truthy as soon as one key is missing; later keys need not be read for that.
    const test = tests.length ? `(${tests.join(' || ')})` : 'false';
    return { code, kind: 'arr', pure: false, test, falsy: '[]' };
  }
  return { code: `${g.helper('missing')}(d, [${exprs.map((e) => e.code).join(', ')}])`, kind: 'arr', pure: false };
}

export function emitMissingSome(g: Generator, values: unknown[], scope: FunctionScope): Expr {
  const { used, wrap } = g.args(values, 2, scope);
  const [need, options] = used as [Expr, Expr];
  if (options.items?.every(isPrimitive)) {
    const n = g.temp(scope);
    const c = g.temp(scope);
    const count = countLiteral(options.items.length);
    const { tests, array } = missingKeys(g, scope, options.items);
    // `need` first (json-logic-js evaluates it before reading), then every key, counting the
    // missing ones; the result is truthy exactly when too few are present and one is missing.
    const counting = tests.map((test) => `${test} && ${c}++`);
    const test = `(${[`${n} = ${need.code}`, `${c} = 0`, ...counting, `!(${count} - ${c} >= ${n}) && ${c} > 0`].join(', ')})`;
    // Falsy with one key missing means enough were present: json-logic-js returns [] then too.
    const code = `(${test} ? ${array} : [])`;
    // With a third argument or an impure `need`, `wrap` adds code around `code`.
    if (!need.pure || values.length > 2) return wrap({ code, kind: 'arr', pure: false });
    return { code, kind: 'arr', pure: false, test, falsy: '[]', truthy: array };
  }
  return wrap({ code: `${g.helper('missingSome')}(d, ${need.code}, ${options.code})`, kind: 'arr', pure: false });
}
