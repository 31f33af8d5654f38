// The operator table is the single answer to "may this operator run?": the validator reports
// names it does not hold, the compiler and interpreter refuse them. `method` and dotted names
// (json-logic-js's escape hatches into arbitrary JS methods) are deliberately absent.

export const BUILTIN_OPERATORS = [
  '==',
  '===',
  '!=',
  '!==',
  '>',
  '>=',
  '<',
  '<=',
  '!',
  '!!',
  '%',
  'log',
  'in',
  'cat',
  'substr',
  '+',
  '*',
  '-',
  '/',
  'min',
  'max',
  'merge',
  'var',
  'missing',
  'missing_some',
  'if',
  '?:',
  'and',
  'or',
  'filter',
  'map',
  'reduce',
  'all',
  'none',
  'some',
] as const;

export type BuiltinOperator = (typeof BUILTIN_OPERATORS)[number];

/** A custom operator receives its already evaluated arguments and the current data scope. */
export type CustomOperator = (args: unknown[], data: unknown) => unknown;

export interface OperatorTable {
  has(name: string): boolean;
  custom(name: string): CustomOperator | undefined;
  names(): string[];
  register(name: string, fn: CustomOperator): void;
}

const builtinSet: ReadonlySet<string> = new Set(BUILTIN_OPERATORS);
const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export function isBuiltinOperator(name: string): name is BuiltinOperator {
  return builtinSet.has(name);
}

export function createOperatorTable(custom: Record<string, CustomOperator> = {}): OperatorTable {
  const customs = new Map<string, CustomOperator>();
  const table: OperatorTable = {
    has: (name) => builtinSet.has(name) || customs.has(name),
    custom: (name) => customs.get(name),
    names: () => [...BUILTIN_OPERATORS, ...customs.keys()],
    register(name, fn) {
      if (!NAME_PATTERN.test(name)) throw new Error(`Invalid operator name ${JSON.stringify(name)}`);
      if (builtinSet.has(name)) throw new Error(`Operator ${name} is built in and cannot be replaced`);
      // Replacing would silently change rules that were already compiled and cached.
      if (customs.has(name)) throw new Error(`Operator ${name} is already registered`);
      if (typeof fn !== 'function') throw new Error(`Operator ${name} must be a function`);
      customs.set(name, fn);
    },
  };
  for (const [name, fn] of Object.entries(custom)) table.register(name, fn);
  return table;
}

/** The table used when a caller passes none: built-ins plus whatever `registerOperator` added. */
export const defaultOperators: OperatorTable = createOperatorTable();

export function registerOperator(name: string, fn: CustomOperator, table: OperatorTable = defaultOperators): void {
  table.register(name, fn);
}
