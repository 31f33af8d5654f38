import type { FunctionScope, Generator } from './codegen.ts';
import { type Expr, numberLiteral, primitiveLiteral } from './emit.ts';
import { isPrimitive } from './runtime.ts';

// `var`, `missing` and `missing_some`: the operators that read data. A constant path is compiled
// to a chain of guarded property reads with json-logic-js's exact stop conditions (null/undefined
// before a step, undefined after it). Plain bracket reads only: nothing is ever written, and
// `__proto__`/`constructor` resolve exactly as they do in json-logic-js.

function access(g: Generator, scope: FunctionScope, path: unknown, notFound: string): string {
  if (path === undefined || path === '' || path === null) return 'd';
  const segments = String(path).split('.');
  const parent = g.prefix(scope, segments.slice(0, -1));
  const t = g.temp(scope);
  const last = g.key(segments[segments.length - 1] as string);
  return `(${parent} != null && (${t} = ${parent}[${last}]) !== void 0 ? ${t} : ${notFound})`;
}

export function emitVar(g: Generator, values: unknown[], scope: FunctionScope): Expr {
  const { used, wrap } = g.args(values, 2, scope);
  const [path, fallback] = used as [Expr, Expr];
  if (path.constant === undefined || !isPrimitive(path.constant.value)) {
    return wrap({ code: `${g.helper('varPath')}(d, ${path.code}, ${fallback.code})`, kind: 'any', pure: false });
  }
  const p = path.constant.value;
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
  return wrap({ code: prefix ? `(${prefix}${code})` : code, kind: 'any', pure: fallback.pure });
}

function keyLiteral(key: unknown): string {
  return typeof key === 'number' ? numberLiteral(key) : (primitiveLiteral(key) ?? 'void 0');
}

/** Inline `missing` over keys known at compile time: the array, and per-key "is missing" tests. */
function missingKeys(g: Generator, scope: FunctionScope, keys: unknown[]): { code: string; tests: string[] } {
  const r = g.temp(scope);
  const v = g.temp(scope);
  const tests = keys.map((key) => `((${v} = ${access(g, scope, key, 'null')}) === null || ${v} === "")`);
  const pushes = tests.map((test, i) => `${test} && ${r}.push(${keyLiteral(keys[i])})`);
  return { code: `(${[`${r} = []`, ...pushes, r].join(', ')})`, tests };
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
    const { code, tests } = missingKeys(g, scope, keys);
    if (ignored.length)
      return { code: `(${ignored.map((e) => e.code).join(', ')}, ${code})`, kind: 'arr', pure: false };
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
    const r = g.temp(scope);
    const count = numberLiteral(options.items.length);
    const missing = missingKeys(g, scope, options.items);
    const code = `(${n} = ${need.code}, ${r} = ${missing.code}, ${count} - ${r}.length >= ${n} ? [] : ${r})`;
    if (!need.pure || values.length > 2) return wrap({ code, kind: 'arr', pure: false });
    // Truthy exactly when too few are present and at least one is missing.
    const c = g.temp(scope);
    const counting = missing.tests.map((test) => `${test} && ${c}++`);
    const test = `(${[`${n} = ${need.code}`, `${c} = 0`, ...counting, `!(${count} - ${c} >= ${n}) && ${c} > 0`].join(', ')})`;
    return { code, kind: 'arr', pure: false, test, falsy: '[]' };
  }
  return wrap({ code: `${g.helper('missingSome')}(d, ${need.code}, ${options.code})`, kind: 'arr', pure: false });
}
