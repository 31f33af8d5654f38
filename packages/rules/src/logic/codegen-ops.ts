import { ruleWeight } from './budget.ts';
import type { FunctionScope, Generator } from './codegen.ts';
import { between, compare, emitIn } from './codegen-compare.ts';
import { emitMissing, emitMissingSome, emitVar } from './codegen-data.ts';
import { countLiteral, type Expr, jsTruthyMatches, looseOf, unionKind } from './emit.ts';
import { isPrimitive, toFloat } from './runtime.ts';

// Per-operator code. The rule of thumb: JavaScript's own operators already have json-logic-js's
// semantics (it uses them), so they are emitted directly; helpers are called where json-logic-js
// does something else (parseFloat, `[]` falsy, PHP substr). Specialisations only fire when a
// constant operand makes the shortcut provably identical.

const COMPARISONS: Record<string, string> = {
  '==': '==',
  '===': '===',
  '!=': '!=',
  '!==': '!==',
  '>': '>',
  '>=': '>=',
};

export function emitOperator(g: Generator, op: string, values: unknown[], scope: FunctionScope): Expr {
  switch (op) {
    case 'if':
    case '?:':
      return emitIf(g, values, scope);
    case 'and':
    case 'or':
      return emitAndOr(g, op, values, scope);
    case 'filter':
    case 'map':
    case 'all':
    case 'none':
    case 'some': {
      const items = g.gen(values[0], scope);
      const fn = g.scoped(op, values[1]);
      const kind = op === 'filter' || op === 'map' ? 'arr' : 'bool';
      // The loops test Array.isArray first, which undefined and null both fail.
      return { code: `${fn}(${looseOf(items) ?? items.code})`, kind, pure: false };
    }
    case 'reduce': {
      const items = g.gen(values[0], scope);
      const fn = g.scoped('reduce', values[1]);
      const initial = typeof values[2] !== 'undefined' ? g.gen(values[2], scope).code : 'null';
      const list = looseOf(items) ?? items.code;
      const weight = countLiteral(ruleWeight(values[1]));
      return { code: `${g.helper('reduceOp')}(${list}, ${fn}, ${initial}, ${weight})`, kind: 'any', pure: false };
    }
    case 'var':
      return emitVar(g, values, scope);
    case 'missing':
      return emitMissing(g, values, scope);
    case 'missing_some':
      return emitMissingSome(g, values, scope);
  }

  const comparison = COMPARISONS[op];
  if (comparison !== undefined && Object.hasOwn(COMPARISONS, op)) {
    const { used, wrap } = g.args(values, 2, scope);
    const [a, b] = used as [Expr, Expr];
    const strict = comparison === '===' || comparison === '!==';
    return wrap({ code: compare(g, scope, a, comparison, b), kind: 'bool', pure: strict && a.pure && b.pure });
  }

  switch (op) {
    case '<':
    case '<=':
      return emitLess(g, op, values, scope);
    case '!':
    case '!!': {
      const { used, wrap } = g.args(values, 1, scope);
      const a = used[0] as Expr;
      const code = op === '!' ? `!${g.truthy(a)}` : g.truthy(a, true);
      return wrap({ code: `(${code})`, kind: 'bool', pure: a.pure });
    }
    case '%':
    case '/': {
      const { used, wrap } = g.args(values, 2, scope);
      const [a, b] = used as [Expr, Expr];
      return wrap({ code: `(${a.code} ${op} ${b.code})`, kind: 'num', pure: false });
    }
    case 'in':
      return emitIn(g, values, scope);
    case 'cat':
      return emitCat(g, values, scope);
    case '+':
      return emitPlus(g, values, scope);
    case '*':
      return emitTimes(g, values, scope);
    case '-': {
      if (values.length <= 1) {
        const { used } = g.args(values, 1, scope);
        return { code: `(-${(used[0] as Expr).code})`, kind: 'num', pure: false };
      }
      const { used, wrap } = g.args(values, 2, scope);
      const [a, b] = used as [Expr, Expr];
      // json-logic-js negates `a` when `b` is undefined; otherwise `-` is JavaScript's.
      if (b.kind !== 'any' || b.defined) {
        return wrap({ code: `(${a.code} - ${b.code})`, kind: 'num', pure: false });
      }
      return wrap({ code: `${g.helper('minus')}(${a.code}, ${b.code})`, kind: 'num', pure: false });
    }
    case 'substr':
    case 'log': {
      const n = op === 'substr' ? 3 : 1;
      const { used, wrap } = g.args(values, n, scope);
      const name = op === 'substr' ? 'substr' : 'logValue';
      const call = `${g.helper(name)}(${used.map((e) => e.code).join(', ')})`;
      return wrap({ code: call, kind: op === 'substr' ? 'str' : 'any', pure: false });
    }
    case 'min':
    case 'max':
    case 'merge': {
      const exprs = values.map((v) => g.gen(v, scope));
      const name = op === 'min' ? 'mathMin' : op === 'max' ? 'mathMax' : 'merge';
      const call = `${g.helper(name)}(${exprs.map((e) => e.code).join(', ')})`;
      return { code: call, kind: op === 'merge' ? 'arr' : 'num', pure: false };
    }
  }

  const custom = g.operators.custom(op);
  // Validation has already rejected unknown operators; this guards direct misuse of the generator.
  if (!custom) throw new Error(`Unrecognized operation ${op}`);
  const exprs = values.map((v) => g.gen(v, scope));
  return { code: `${g.bind(custom)}([${exprs.map((e) => e.code).join(', ')}], d)`, kind: 'any', pure: false };
}

function emitIf(g: Generator, values: unknown[], scope: FunctionScope): Expr {
  if (values.length === 0) return { code: 'null', kind: 'null', pure: true, constant: { value: null } };
  const branches: Expr[] = [];
  const conditions: string[] = [];
  let i = 0;
  for (; i < values.length - 1; i += 2) {
    conditions.push(g.truthy(g.gen(values[i], scope)));
    branches.push(g.gen(values[i + 1], scope));
  }
  const otherwise: Expr =
    values.length === i + 1 ? g.gen(values[i], scope) : { code: 'null', kind: 'null', pure: true };
  let code = otherwise.code;
  let test = g.truthy(otherwise);
  for (let j = branches.length - 1; j >= 0; j--) {
    const branch = branches[j] as Expr;
    code = `(${conditions[j]} ? ${branch.code} : ${code})`;
    test = `(${conditions[j]} ? ${g.truthy(branch)} : ${test})`;
  }
  const kind = unionKind([...branches, otherwise].map((e) => e.kind));
  return { code, kind, pure: false, ...(kind === 'bool' ? {} : { test }) };
}

function emitAndOr(g: Generator, op: 'and' | 'or', values: unknown[], scope: FunctionScope): Expr {
  if (values.length === 0) return { ...emptyUndefined() };
  const exprs = values.map((v) => g.gen(v, scope));
  const last = exprs[exprs.length - 1] as Expr;
  let code = last.code;
  for (let i = exprs.length - 2; i >= 0; i--) {
    const e = exprs[i] as Expr;
    if (jsTruthyMatches(e.kind)) {
      code = `(${e.code} ${op === 'and' ? '&&' : '||'} ${code})`;
    } else if (e.test !== undefined && e.falsy !== undefined) {
      // Re-evaluating `e` in full is fine: only pure reads carry a test.
      code = op === 'and' ? `(${e.test} ? ${code} : ${e.falsy})` : `(${e.test} ? ${e.truthy ?? e.code} : ${code})`;
    } else {
      const t = g.temp(scope);
      const test = `${g.helper('truthy')}(${t} = ${e.code})`;
      code = op === 'and' ? `(${test} ? ${code} : ${t})` : `(${test} ? ${t} : ${code})`;
    }
  }
  const kind = unionKind(exprs.map((e) => e.kind));
  const pure = exprs.every((e) => e.pure);
  if (kind === 'bool') return { code, kind, pure };
  // Where only truthiness is used (`!`, an `if` condition, a loop's item rule) the operands'
  // own tests combine directly: the same operands in the same order, no value built.
  const test = `(${exprs.map((e) => g.truthy(e)).join(op === 'and' ? ' && ' : ' || ')})`;
  return { code, kind, pure, test };
}

function emptyUndefined(): Expr {
  return { code: 'void 0', kind: 'any', pure: true, constant: { value: undefined } };
}

function emitLess(g: Generator, op: '<' | '<=', values: unknown[], scope: FunctionScope): Expr {
  if (values.length <= 2) {
    const { used } = g.args(values, 2, scope);
    const [a, b] = used as [Expr, Expr];
    return { code: compare(g, scope, a, op, b), kind: 'bool', pure: false };
  }
  const { used, wrap } = g.args(values, 3, scope);
  const [a, b, c] = used as [Expr, Expr, Expr];
  if (c.constant !== undefined) {
    if (c.constant.value === undefined) return wrap({ code: `(${a.code} ${op} ${b.code})`, kind: 'bool', pure: false });
    return wrap({ code: between(g, scope, a, op, b, c), kind: 'bool', pure: false });
  }
  const name = op === '<' ? 'lessThan' : 'lessOrEqual';
  return wrap({ code: `${g.helper(name)}(${a.code}, ${b.code}, ${c.code})`, kind: 'bool', pure: false });
}

function emitCat(g: Generator, values: unknown[], scope: FunctionScope): Expr {
  const exprs = values.map((v) => g.gen(v, scope));
  if (exprs.length === 0) return { code: '""', kind: 'str', pure: true, constant: { value: '' } };
  const parts = exprs.map((e) => {
    if (e.constant !== undefined) {
      const v = e.constant.value;
      return g.bind(v == null ? '' : String(v));
    }
    return e.kind === 'str' ? e.code : `${g.helper('toText')}(${looseOf(e) ?? e.code})`;
  });
  // The text is charged to the budget once built (a cons string: building it copies nothing).
  return { code: `${g.helper('builtText')}("" + ${parts.join(' + ')})`, kind: 'str', pure: false };
}

function floatOf(g: Generator, e: Expr): string {
  if (e.constant !== undefined && isPrimitive(e.constant.value)) return g.bind(toFloat(e.constant.value));
  if (e.kind === 'num') return `(${e.code} + 0)`;
  return `${g.helper('toFloat')}(${looseOf(e) ?? e.code})`;
}

function emitPlus(g: Generator, values: unknown[], scope: FunctionScope): Expr {
  const exprs = values.map((v) => g.gen(v, scope));
  if (exprs.length === 0) return { code: '0', kind: 'num', pure: true, constant: { value: 0 } };
  return { code: `(0 + ${exprs.map((e) => floatOf(g, e)).join(' + ')})`, kind: 'num', pure: false };
}

function emitTimes(g: Generator, values: unknown[], scope: FunctionScope): Expr {
  const exprs = values.map((v) => g.gen(v, scope));
  if (exprs.length === 0) return { code: `${g.helper('times')}()`, kind: 'num', pure: false };
  // A single operand is returned untouched (reduce without an initial value).
  if (exprs.length === 1) return exprs[0] as Expr;
  let code = `${floatOf(g, exprs[0] as Expr)} * ${floatOf(g, exprs[1] as Expr)}`;
  for (const e of exprs.slice(2)) code = `(${code} + 0) * ${floatOf(g, e)}`;
  return { code: `(${code})`, kind: 'num', pure: false };
}
