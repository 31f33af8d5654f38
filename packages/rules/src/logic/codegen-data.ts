import { type FunctionScope, type Generator } from "./codegen.ts";
import { type Expr, numberLiteral, primitiveLiteral, stringLiteral } from "./emit.ts";
import { isPrimitive } from "./runtime.ts";

// `var`, `missing` and `missing_some`: the operators that read data. A constant path is compiled
// to a chain of guarded property reads with json-logic-js's exact stop conditions (null/undefined
// before a step, undefined after it). Plain bracket reads only: nothing is ever written, and
// `__proto__`/`constructor` resolve exactly as they do in json-logic-js.

function access(g: Generator, scope: FunctionScope, path: unknown, notFound: string): string {
  if (path === undefined || path === "" || path === null) return "d";
  const segments = String(path).split(".");
  const t = g.temp(scope);
  const steps = segments.map((segment, i) => {
    const from = i === 0 ? "d" : t;
    const guard = i === segments.length - 1 ? "!== void 0" : "!= null";
    return `(${t} = ${from}[${stringLiteral(segment)}]) ${guard}`;
  });
  return `(d != null && ${steps.join(" && ")} ? ${t} : ${notFound})`;
}

export function emitVar(g: Generator, values: unknown[], scope: FunctionScope): Expr {
  const { used, wrap } = g.args(values, 2, scope);
  const [path, fallback] = used as [Expr, Expr];
  if (path.constant === undefined || !isPrimitive(path.constant.value)) {
    return wrap({ code: `${g.helper("varPath")}(d, ${path.code}, ${fallback.code})`, kind: "any", pure: false });
  }
  const p = path.constant.value;
  let prefix = "";
  let notFound: string;
  if (fallback.constant !== undefined) {
    notFound = fallback.constant.value === undefined ? "null" : fallback.code;
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
  return wrap({ code: prefix ? `(${prefix}${code})` : code, kind: "any", pure: fallback.pure });
}

function keyLiteral(key: unknown): string {
  return typeof key === "number" ? numberLiteral(key) : (primitiveLiteral(key) ?? "void 0");
}

/** Inline `missing` over keys known at compile time. */
function missingKeys(g: Generator, scope: FunctionScope, keys: unknown[]): string {
  const r = g.temp(scope);
  const v = g.temp(scope);
  const checks = keys.map(
    (key) => `((${v} = ${access(g, scope, key, "null")}) === null || ${v} === "") && ${r}.push(${keyLiteral(key)})`,
  );
  return `(${[`${r} = []`, ...checks, r].join(", ")})`;
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
  if (keys !== undefined && keys.every(isPrimitive)) {
    // With an array first, later arguments are only evaluated, never used.
    const ignored = exprs.slice(1).filter((e) => !e.pure && exprs[0]?.items !== undefined);
    const code = missingKeys(g, scope, keys);
    return { code: ignored.length ? `(${ignored.map((e) => e.code).join(", ")}, ${code})` : code, kind: "arr", pure: false };
  }
  return { code: `${g.helper("missing")}(d, [${exprs.map((e) => e.code).join(", ")}])`, kind: "arr", pure: false };
}

export function emitMissingSome(g: Generator, values: unknown[], scope: FunctionScope): Expr {
  const { used, wrap } = g.args(values, 2, scope);
  const [need, options] = used as [Expr, Expr];
  if (options.items !== undefined && options.items.every(isPrimitive)) {
    const n = g.temp(scope);
    const r = g.temp(scope);
    const count = numberLiteral(options.items.length);
    const missing = missingKeys(g, scope, options.items);
    return wrap({
      code: `(${n} = ${need.code}, ${r} = ${missing}, ${count} - ${r}.length >= ${n} ? [] : ${r})`,
      kind: "arr",
      pure: false,
    });
  }
  return wrap({ code: `${g.helper("missingSome")}(d, ${need.code}, ${options.code})`, kind: "arr", pure: false });
}
