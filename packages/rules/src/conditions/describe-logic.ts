// JSON Logic in plain words, for the canvas ("total ≥ 500"), the run history and the version
// diff. Rules the builder writes read naturally; anything else still reads, if more literally.
import { describeVariable } from './field-names.ts';

const COMPARE: Record<string, string> = {
  '==': '=',
  '===': '=',
  '!=': '≠',
  '!==': '≠',
  '>': '>',
  '>=': '≥',
  '<': '<',
  '<=': '≤',
};

function args(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

function single(logic: unknown): [string, unknown[]] | null {
  if (typeof logic !== 'object' || logic === null || Array.isArray(logic)) return null;
  const keys = Object.keys(logic);
  if (keys.length !== 1) return null;
  const op = keys[0] as string;
  return [op, args((logic as Record<string, unknown>)[op])];
}

function varPath(x: unknown): string | null {
  const parts = single(x);
  if (parts?.[0] !== 'var') return null;
  const path = parts[1][0];
  return typeof path === 'string' ? path : null;
}

/** A value or expression as a short phrase. */
function term(x: unknown): string {
  const path = varPath(x);
  if (path !== null) return path === '' ? 'the value' : describeVariable(path);
  if (typeof x === 'string') return `“${x}”`;
  if (x === null) return 'nothing';
  if (Array.isArray(x)) return x.map(term).join(', ');
  if (typeof x === 'object') return `(${describe(x, true)})`;
  return String(x);
}

function describe(logic: unknown, nested: boolean): string {
  const parts = single(logic);
  if (!parts) return term(logic);
  const [op, a] = parts;
  const wrap = (text: string) => (nested ? `(${text})` : text);
  const compare = COMPARE[op];
  if (compare && a.length === 2) {
    if (a[1] === null && (op === '==' || op === '!=')) return `${term(a[0])} ${op === '==' ? 'is not set' : 'is set'}`;
    return `${term(a[0])} ${compare} ${term(a[1])}`;
  }
  if (compare && a.length === 3 && (op === '<' || op === '<=')) {
    return `${term(a[0])} ${compare} ${term(a[1])} ${compare} ${term(a[2])}`;
  }
  switch (op) {
    case 'and':
    case 'or':
      if (a.length === 0) return op === 'and' ? 'always' : 'never';
      if (a.length === 1) return describe(a[0], nested);
      return wrap(a.map((x) => describe(x, true)).join(` ${op} `));
    case '!': {
      const inner = single(a[0]);
      const path = varPath(a[0]);
      if (path !== null) return `not ${describeVariable(path)}`;
      if (inner?.[0] === 'in' && inner[1].length === 2 && !Array.isArray(inner[1][1])) {
        return `${term(inner[1][1])} does not contain ${term(inner[1][0])}`;
      }
      return `not ${describe(a[0], true)}`;
    }
    case '!!':
      return varPath(a[0]) !== null ? `${term(a[0])} is true` : `${describe(a[0], true)} is true`;
    case 'in':
      if (Array.isArray(a[1])) return `${term(a[0])} is one of ${a[1].map(term).join(', ')}`;
      return `${term(a[1])} contains ${term(a[0])}`;
    case 'var':
      return `${term(logic)} is true`;
    case 'missing':
      return `${a.map((x) => (typeof x === 'string' ? describeVariable(x) : term(x))).join(', ')} missing`;
    case 'some':
    case 'all':
    case 'none':
      return `${op} of ${term(a[0])} match ${describe(a[1], true)}`;
    default:
      return `${op}(${a.map(term).join(', ')})`;
  }
}

/** A JSON Logic rule as one line of words: `{">=": [{"var": "event.properties.total"}, 500]}` → "total ≥ 500". */
export function describeLogic(logic: unknown): string {
  if (logic === undefined) return 'always';
  return describe(logic, false);
}
