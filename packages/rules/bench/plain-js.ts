// A yardstick for the benchmark, not an evaluator: each bench rule written as the plain
// JavaScript an engineer would hand-write for it (`ep.total > 120 && u.plan === "pro"`), with
// the object prefixes it uses in locals, `===` chains for constant lists, and callbacks hoisted
// out of the function.
// It ignores JSON Logic's semantics (no `[]`-is-falsy, no null for a missing value, no
// parseFloat in arithmetic, `includes` instead of `indexOf`), which can only make it faster than
// an exact evaluator. Only the vocabulary of rule-gen.ts is supported.

type Rule = null | boolean | number | string | Rule[] | { [op: string]: Rule };

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function member(base: string, segments: string[]): string {
  for (const s of segments) if (!IDENTIFIER.test(s)) throw new Error(`plain-js: unsupported path segment ${s}`);
  return [base, ...segments].join('.');
}

/** The locals a generated function may set up once per call, by the path prefix they stand for. */
const PREFIX_LOCALS = {
  e: 'd.event',
  ep: 'd.event.properties',
  tp: 'd.trigger.properties',
  u: 'd.user',
} as const;
type PrefixLocal = keyof typeof PREFIX_LOCALS;

function prefixed(path: string, used: Set<PrefixLocal>): string {
  const [head = '', second = '', ...rest] = path.split('.');
  const local = (name: PrefixLocal, segments: string[]): string => {
    used.add(name);
    return member(name, segments);
  };
  if (head === 'event' && second === 'properties') return local('ep', rest);
  if (head === 'trigger' && second === 'properties') return local('tp', rest);
  if (head === 'event' && second) return local('e', [second, ...rest]);
  if (head === 'user' && second) return local('u', [second, ...rest]);
  return member('d', path.split('.'));
}

export function plainSource(rule: unknown): string {
  const hoisted: string[] = [];
  const hoist = (source: string): string => `c${hoisted.push(source) - 1}`;
  const used = new Set<PrefixLocal>();
  let temps = 0;
  const literal = (value: Rule): string => JSON.stringify(value);

  const emit = (node: Rule, item: boolean): string => {
    if (node === null || typeof node !== 'object') return literal(node);
    if (Array.isArray(node)) return hoist(literal(node));
    const [op = ''] = Object.keys(node);
    const raw = node[op] as Rule;
    const args: Rule[] = Array.isArray(raw) ? raw : [raw];
    const sub = (n: Rule): string => emit(n, item);
    const path = (p: Rule): string => (item ? member('d', String(p).split('.')) : prefixed(String(p), used));
    switch (op) {
      case 'var':
        return args.length > 1 ? `(${path(args[0] ?? '')} ?? ${literal(args[1] ?? null)})` : path(args[0] ?? '');
      case 'and':
        return `(${args.map(sub).join(' && ')})`;
      case 'or':
        return `(${args.map(sub).join(' || ')})`;
      case 'if':
        return `(${sub(args[0] ?? null)} ? ${sub(args[1] ?? null)} : ${sub(args[2] ?? null)})`;
      case '!':
        return `!${sub(args[0] ?? null)}`;
      case '!!':
        return `!!${sub(args[0] ?? null)}`;
      case '<':
      case '<=':
        if (args.length === 3) {
          const [a, b, c] = args.map(sub);
          return `(${a} ${op} ${b} && ${b} ${op} ${c})`;
        }
        return `(${sub(args[0] ?? null)} ${op} ${sub(args[1] ?? null)})`;
      case '==':
      case '!=':
      case '===':
      case '!==':
      case '>':
      case '>=':
      case '%':
      case '-':
      case '*':
        return `(${sub(args[0] ?? null)} ${op} ${sub(args[1] ?? null)})`;
      case 'in': {
        const needle = sub(args[0] ?? null);
        const haystack = args[1] ?? null;
        if (Array.isArray(haystack)) {
          const t = `t${temps++}`;
          return `(${t} = ${needle}, ${haystack.map((h) => `${t} === ${literal(h)}`).join(' || ')})`;
        }
        return `(${sub(haystack)} ?? NONE).includes(${needle})`;
      }
      case 'missing':
        return `(${args.map((p) => `${path(p)} == null`).join(' || ')})`;
      case 'missing_some': {
        const paths = Array.isArray(args[1]) ? args[1] : [];
        return `((${paths.map((p) => `(${path(p)} == null ? 1 : 0)`).join(' + ')}) > ${paths.length - Number(args[0])})`;
      }
      case 'some':
        return `(${sub(args[0] ?? null)} ?? NONE).some(${hoist(`(d) => ${emit(args[1] ?? null, true)}`)})`;
      default:
        throw new Error(`plain-js: unsupported operator ${op}`);
    }
  };

  const body = emit(rule as Rule, false);
  const constants = hoisted.map((source, i) => `const c${i} = ${source};`).join('\n');
  const locals = [...used].map((name) => `${name} = ${PREFIX_LOCALS[name]}`);
  const declarations = [
    locals.length ? `const ${locals.join(', ')};` : '',
    temps ? `let ${Array.from({ length: temps }, (_, i) => `t${i}`).join(', ')};` : '',
  ].join(' ');
  return `"use strict";\nconst NONE = [];\n${constants}
return function rule(d) { ${declarations} return ${body}; };`;
}

export function plainFunction(rule: unknown): (data: unknown) => unknown {
  return new Function(plainSource(rule))() as (data: unknown) => unknown;
}
