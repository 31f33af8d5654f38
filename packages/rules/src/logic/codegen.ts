import { DEFAULT_LOGIC_BUDGET, type LogicBudget, literalIsCharged, ruleWeight } from './budget.ts';
import { emitOperator } from './codegen-ops.ts';
import {
  countLiteral,
  type Expr,
  jsTruthyMatches,
  type Kind,
  kindOf,
  looseOf,
  memberName,
  tokenOf,
  UNDEFINED,
  unionKind,
} from './emit.ts';
import { isBuiltinOperator, type OperatorTable } from './operators.ts';
import { isLogic } from './validate-logic.ts';

// Compiles a (validated) rule into the source of a factory `(h, k) => (d) => result`, where `h`
// holds runtime helpers and `k` closure-bound constants. Semantics follow json-logic-js's
// evaluation order exactly; see codegen-ops.ts for the per-operator specialisations.

export type LoopOperator = 'filter' | 'map' | 'all' | 'none' | 'some' | 'reduce';

export interface FunctionScope {
  temps: string[];
  /** Path prefixes ("event", "event.properties") shared by the rule's vars, by segments. */
  prefixes: Map<string, string>;
  /** Each non-root prefix's name with its read (in terms of its parent) and depth; see `finish`. */
  prefixReads: { name: string; read: string; depth: number }[];
  hoisted: string[];
  /** Leaf reads of this function by code, each with its id; see `load`. */
  loads: Map<string, number>;
}

export interface Generator {
  operators: OperatorTable;
  gen(value: unknown, scope: FunctionScope): Expr;
  temp(scope: FunctionScope): string;
  helper(name: string): string;
  bind(value: unknown): string;
  /** Hoists an array operator (filter/map/all/none/some/reduce) with its per-item rule into a named function. */
  scoped(op: LoopOperator, rule: unknown): string;
  truthy(expr: Expr, asBoolean?: boolean): string;
  /** A variable holding the object at `segments` (or an empty sentinel when absent), read once per call. */
  prefix(scope: FunctionScope, segments: string[]): string;
  /** `.name`, or `[k3]` for a name that is not a plain identifier: a property access suffix. */
  member(segment: string): string;
  /**
   * A leaf read of data (`o0.total`), as a placeholder: a read that occurs more than once in the
   * finished function is memoised per call (see `body`), so a path is read once per evaluation.
   */
  load(scope: FunctionScope, code: string): string;
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

// Helpers that spend the evaluation budget (budget.ts): a rule that calls one, or has a loop,
// resets the meter on entry. `missing` and `missing_some` can read data as logic and interpret it.
const SPENDING_HELPERS = ['chargeItem', 'built', 'builtText', 'merge', 'reduceOp', 'missing', 'missingSome'];

export function generateSource(
  rule: unknown,
  operators: OperatorTable,
  budget: LogicBudget = DEFAULT_LOGIC_BUDGET,
): GeneratedSource {
  const helpers = new Set<string>();
  const constants: unknown[] = [];
  const functions: string[] = [];
  let tempCounter = 0;
  let prefixCounter = 0;
  let returnsReferences = false;
  const loads: string[] = [];
  const members = new Map<string, string>();
  // A custom operator receives the data and could change it between two reads, so with one in
  // the rule every read happens where json-logic-js makes it: prefixes are not hoisted and
  // repeated reads are not memoised.
  const shareReads = !usesCustomOperator(rule);

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
      constants.push(typeof value === 'string' ? internalize(value) : value);
      return `k${constants.length - 1}`;
    },
    scoped(op, inner) {
      const name = `f${functions.length}`;
      functions.push('');
      functions[functions.length - 1] = loopSource(name, op, inner);
      return name;
    },
    prefix(scope, segments) {
      if (!shareReads) {
        if (segments.length === 0) return `(d ?? ${g.helper('E')})`;
        const parent = g.prefix(scope, segments.slice(0, -1));
        return `(${parent}${g.member(segments[segments.length - 1] as string)} ?? ${g.helper('E')})`;
      }
      const id = JSON.stringify(segments);
      const existing = scope.prefixes.get(id);
      if (existing !== undefined) return existing;
      const name = `o${prefixCounter++}`;
      // A prefix is the object to read from, or `E` (an empty null-prototype object) where
      // json-logic-js would stop at null/undefined: reading any key of `E` gives undefined, which
      // is json-logic-js's "not found", so leaf reads need no null check of their own. The data
      // itself is taken once per call; every other prefix is a placeholder that `finish` turns
      // into a read where it is first needed, memoised when several reads share it.
      if (segments.length === 0) {
        scope.hoisted.push(`${name} = d ?? ${g.helper('E')}`);
        scope.prefixes.set(id, name);
        return name;
      }
      const parent = g.prefix(scope, segments.slice(0, -1));
      const read = `${parent}${g.member(segments[segments.length - 1] as string)} ?? ${g.helper('E')}`;
      scope.prefixReads.push({ name, read, depth: segments.length });
      const placeholder = `${PREFIX}${name}${PREFIX}`;
      scope.prefixes.set(id, placeholder);
      return placeholder;
    },
    member(segment) {
      const name = memberName(segment);
      if (name !== undefined) return `.${name}`;
      let slot = members.get(segment);
      if (slot === undefined) {
        slot = g.bind(segment);
        members.set(segment, slot);
      }
      return `[${slot}]`;
    },
    load(scope, code) {
      let id = scope.loads.get(code);
      if (id === undefined) {
        id = loads.length;
        loads.push(code);
        scope.loads.set(code, id);
      }
      return `${LOAD}${id}${LOAD}`;
    },
    truthy(expr, asBoolean = false) {
      if (expr.kind === 'bool') return expr.code;
      // A test has the value's JavaScript truthiness; it is not always a boolean itself.
      if (expr.test !== undefined) return asBoolean ? `!!${expr.test}` : expr.test;
      // undefined and null are both falsy, so the cheaper loose read serves.
      const code = looseOf(expr) ?? expr.code;
      if (jsTruthyMatches(expr.kind)) return asBoolean ? `!!${code}` : code;
      return `${g.helper('truthy')}(${code})`;
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
        return { ...e, code: t, constant: undefined, raw: undefined };
      });
      for (const e of extras) prefix.push(e.code);
      return {
        used: bound,
        wrap: (e) => ({
          ...e,
          code: `(${prefix.join(', ')}, ${e.code})`,
          pure: false,
          constant: undefined,
          raw: undefined,
        }),
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
    const token = tokenOf(value);
    if (token !== undefined) return { code: token, kind: kindOf(value), pure: true, constant: { value } };
    if (typeof value === 'string' || typeof value === 'number') {
      return { code: g.bind(value), kind: kindOf(value), pure: true, constant: { value } };
    }
    // Objects that are not operations are returned as is, by reference, like json-logic-js does.
    returnsReferences = true;
    return { code: g.bind(value), kind: 'any', pure: true };
  };

  const arrayExpr = (items: unknown[], scope: FunctionScope): Expr => {
    const exprs = items.map((item) => g.gen(item, scope));
    const allConstant = exprs.every((e) => e.constant !== undefined);
    const literal = `[${exprs.map((e) => e.code).join(', ')}]`;
    // An array of primitive literals is bounded by the rule; one holding values is charged, which
    // is an effect: it must happen in json-logic-js's order, like a call.
    const charged = literalIsCharged(items);
    return {
      code: charged ? `${g.helper('built')}(${literal})` : literal,
      kind: 'arr',
      pure: !charged && exprs.every((e) => e.pure),
      // Known items let `missing` inline its keys, which would skip the charge: only when uncharged.
      ...(allConstant && !charged ? { items: exprs.map((e) => e.constant?.value) } : {}),
    };
  };

  // `finish` turns a function's finished statement(s) into its body: declarations first, then the
  // statement with each placeholder replaced. A leaf read that occurs once is emitted as is; one
  // that occurs more often reads into `r<id>` the first time it runs and reuses it afterwards
  // (`U` marks "not read yet"). Which occurrence runs first depends on short-circuits, so every
  // occurrence tests; TurboFan folds the test where no other occurrence can have run yet, and
  // the others cost a pointer compare, far less than a megamorphic read. Prefixes (`o1`: the
  // object at `event.properties`) are memoised the same way, deepest first, so an object is read
  // where json-logic-js first reads it, never earlier: a getter or proxy that throws is reached
  // exactly when json-logic-js reaches it. Reading once instead of again assumes reads have no
  // effects, which holds for data (anything JSON.parse, structuredClone or jsonb produces).
  const body = (rule: unknown): { expr: Expr; finish: (statement: string) => string } => {
    const scope: FunctionScope = { temps: [], prefixes: new Map(), prefixReads: [], hoisted: [], loads: new Map() };
    const expr = g.gen(rule, scope);
    const finish = (statement: string): string => {
      const counts = new Map<string, number>();
      for (const [, id] of statement.matchAll(LOADS)) counts.set(id as string, (counts.get(id as string) ?? 0) + 1);
      const memos: string[] = [];
      const memo = (name: string, read: string): string => {
        if (!memos.includes(name)) memos.push(name);
        return `(${name} !== ${g.helper('U')} ? ${name} : (${name} = ${read}))`;
      };
      let text = statement.replace(LOADS, (_, id: string) => {
        const code = loads[Number(id)] as string;
        if (!shareReads || (counts.get(id) ?? 0) < 2) return code;
        return memo(`r${id}`, code);
      });
      // Deepest first: expanding a prefix writes its parent's placeholder, once per occurrence.
      const prefixes = [...scope.prefixReads].sort((a, b) => b.depth - a.depth);
      for (const { name, read } of prefixes) {
        const placeholder = `${PREFIX}${name}${PREFIX}`;
        const uses = text.split(placeholder).length - 1;
        text = text.replaceAll(placeholder, uses > 1 ? memo(name, read) : `(${read})`);
      }
      const names = [...scope.hoisted, ...scope.temps, ...memos.map((r) => `${r} = U`)];
      return `${names.length ? `let ${names.join(', ')}; ` : ''}${text}`;
    };
    return { expr, finish };
  };

  // Loops are generated per rule so the per-item rule is inlined instead of called through a
  // shared helper (a megamorphic call site). `d` is the item: the item is the rule's data scope.
  const loopSource = (name: string, op: LoopOperator, rule: unknown): string => {
    const { expr, finish } = body(rule);
    // filter and map skip holes like json-logic-js's Array.prototype.filter/map (see runtime.ts).
    // Every iteration is charged to the budget before the item rule runs.
    const charge = `${g.helper('chargeItem')}(${countLiteral(ruleWeight(rule))}, d); `;
    const each = (statement: string, holes = false): string =>
      `for (let i = 0; i < a.length; i++) { ${holes ? 'if (!(i in a)) continue; ' : ''}const d = a[i]; ${charge}${finish(statement)} }`;
    const built = g.helper('built');
    const guard = (empty: string): string => `if (!Array.isArray(a) || !a.length) return ${empty}; `;
    switch (op) {
      case 'filter':
        return `function ${name}(a) { if (!Array.isArray(a)) return []; const out = []; ${each(`if (${g.truthy(expr)}) out.push(d);`, true)} return ${built}(out); }`;
      case 'map':
        return `function ${name}(a) { if (!Array.isArray(a)) return []; const out = new Array(a.length); ${each(`out[i] = ${expr.code};`, true)} return ${built}(out); }`;
      case 'all':
        return `function ${name}(a) { ${guard('false')}${each(`if (!${g.truthy(expr)}) return false;`)} return true; }`;
      case 'none':
        return `function ${name}(a) { ${guard('true')}${each(`if (${g.truthy(expr)}) return false;`)} return true; }`;
      case 'some':
        return `function ${name}(a) { ${guard('false')}${each(`if (${g.truthy(expr)}) return true;`)} return false; }`;
      case 'reduce':
        return `function ${name}(d) { ${finish(`return ${expr.code};`)} }`;
    }
  };

  const main = body(rule);
  let mainBody = main.finish(`return ${main.expr.code};`);
  if (functions.length > 0 || SPENDING_HELPERS.some((name) => helpers.has(name))) {
    mainBody = `${g.helper('resetMeter')}(${g.bind(budget)}); ${mainBody}`;
  }
  const lines = ['"use strict";'];
  for (const name of helpers) lines.push(`const ${name} = h.${name};`);
  constants.forEach((_, i) => {
    lines.push(`const k${i} = k[${i}];`);
  });
  lines.push(...functions, `return function rule(d) { ${mainBody} };`);
  const source = lines.join('\n');
  if (source.includes(LOAD) || source.includes(PREFIX)) throw new Error('Unresolved placeholder in generated source');
  return { source, helpers: [...helpers], constants, returnsReferences };
}

function usesCustomOperator(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(usesCustomOperator);
  if (!isLogic(value)) return false;
  const op = Object.keys(value)[0] as string;
  return !isBuiltinOperator(op) || usesCustomOperator(value[op]);
}

/**
 * An equal string, in V8 its internalized (unique) copy, as named property keys are: `===` with
 * another internalized string (literals, short strings from JSON.parse) is then a pointer
 * comparison. A rule that went through structuredClone or was built from user input would
 * otherwise compare characters on every evaluation (measured: the whole mix ~7% slower).
 */
function internalize(value: string): string {
  return Object.keys({ [value]: 0 })[0] ?? value;
}

// Placeholders for leaf reads (`#12#`) and prefixes (`@o3@`); `#` and `@` occur nowhere else in
// generated source (rule text only ever appears there as identifier characters).
const LOAD = '#';
const PREFIX = '@';
const LOADS = /#(\d+)#/g;

export function exprKinds(exprs: Expr[]): Kind {
  return unionKind(exprs.map((e) => e.kind));
}
