import { emitOperator } from "./codegen-ops.ts";
import { type Expr, type Kind, jsTruthyMatches, kindOf, primitiveLiteral, UNDEFINED, unionKind } from "./emit.ts";
import { type OperatorTable } from "./operators.ts";
import { isLogic } from "./validate-logic.ts";

// Compiles a (validated) rule into the source of a factory `(h, k) => (d) => result`, where `h`
// holds runtime helpers and `k` closure-bound constants. Semantics follow json-logic-js's
// evaluation order exactly; see codegen-ops.ts for the per-operator specialisations.

export interface FunctionScope {
  temps: string[];
}

export interface Generator {
  operators: OperatorTable;
  gen(value: unknown, scope: FunctionScope): Expr;
  temp(scope: FunctionScope): string;
  helper(name: string): string;
  bind(value: unknown): string;
  /** Hoists a rule evaluated against its own data scope (filter/map/...) into a named function. */
  scoped(rule: unknown): string;
  truthy(expr: Expr, asBoolean?: boolean): string;
  /** Temps first, so order and exceptions match json-logic-js's "evaluate every argument first". */
  args(values: unknown[], used: number, scope: FunctionScope): { used: Expr[]; wrap: (e: Expr) => Expr };
}

export interface GeneratedSource {
  source: string;
  helpers: string[];
  constants: unknown[];
  /** Some constant objects are returned by reference, so the function is tied to this rule object. */
  returnsReferences: boolean;
}

export function generateSource(rule: unknown, operators: OperatorTable): GeneratedSource {
  const helpers = new Set<string>();
  const constants: unknown[] = [];
  const functions: string[] = [];
  let tempCounter = 0;
  let returnsReferences = false;

  const g: Generator = {
    operators,
    temp(scope) {
      const name = `t${tempCounter++}`;
      scope.temps.push(name);
      return name;
    },
    helper(name) {
      helpers.add(name);
      return name;
    },
    bind(value) {
      constants.push(value);
      return `k${constants.length - 1}`;
    },
    scoped(inner) {
      const name = `f${functions.length}`;
      functions.push("");
      functions[functions.length - 1] = functionSource(name, inner);
      return name;
    },
    truthy(expr, asBoolean = false) {
      if (expr.kind === "bool") return expr.code;
      if (jsTruthyMatches(expr.kind)) return asBoolean ? `!!${expr.code}` : expr.code;
      return `${g.helper("truthy")}(${expr.code})`;
    },
    args(values, used, scope) {
      const exprs = values.map((v) => g.gen(v, scope));
      const picked = Array.from({ length: used }, (_, i) => exprs[i] ?? UNDEFINED);
      const extras = exprs.slice(used).filter((e) => !e.pure);
      if (extras.length === 0) return { used: picked, wrap: (e) => e };
      const prefix: string[] = [];
      const bound = picked.map((e) => {
        if (e.pure) return e;
        const t = g.temp(scope);
        prefix.push(`${t} = ${e.code}`);
        return { ...e, code: t, constant: undefined };
      });
      for (const e of extras) prefix.push(e.code);
      return {
        used: bound,
        wrap: (e) => ({ ...e, code: `(${prefix.join(", ")}, ${e.code})`, pure: false, constant: undefined }),
      };
    },
    gen(value, scope) {
      if (Array.isArray(value)) return arrayExpr(value, scope);
      if (!isLogic(value)) return literalExpr(value);
      const op = Object.keys(value)[0] as string;
      const raw = value[op];
      const values: unknown[] = Array.isArray(raw) ? raw : [raw];
      return emitOperator(g, op, values, scope);
    },
  };

  const literalExpr = (value: unknown): Expr => {
    const literal = primitiveLiteral(value);
    if (literal !== undefined) return { code: literal, kind: kindOf(value), pure: true, constant: { value } };
    // Objects that are not operations are returned as is, by reference, like json-logic-js does.
    returnsReferences = true;
    return { code: g.bind(value), kind: "any", pure: true };
  };

  const arrayExpr = (items: unknown[], scope: FunctionScope): Expr => {
    const exprs = items.map((item) => g.gen(item, scope));
    const allConstant = exprs.every((e) => e.constant !== undefined);
    return {
      code: `[${exprs.map((e) => e.code).join(", ")}]`,
      kind: "arr",
      pure: exprs.every((e) => e.pure),
      ...(allConstant ? { items: exprs.map((e) => e.constant?.value) } : {}),
    };
  };

  const functionSource = (name: string, body: unknown): string => {
    const scope: FunctionScope = { temps: [] };
    const expr = g.gen(body, scope);
    const decl = scope.temps.length ? `let ${scope.temps.join(", ")}; ` : "";
    return `function ${name}(d) { ${decl}return ${expr.code}; }`;
  };

  const main = functionSource("rule", rule);
  const lines = ['"use strict";'];
  for (const name of helpers) lines.push(`const ${name} = h.${name};`);
  constants.forEach((_, i) => {
    lines.push(`const k${i} = k[${i}];`);
  });
  lines.push(...functions, `return ${main}`);
  return { source: lines.join("\n"), helpers: [...helpers], constants, returnsReferences };
}

export function exprKinds(exprs: Expr[]): Kind {
  return unionKind(exprs.map((e) => e.kind));
}
