import type { LogicBudget } from './budget.ts';
import { checkLogicBudget } from './budget-check.ts';
import { defaultOperators, type OperatorTable } from './operators.ts';

export type LogicPath = (string | number)[];

export interface LogicIssue {
  path: LogicPath;
  code: 'logic.unknown_operator' | 'logic.too_deep' | 'logic.too_large' | 'logic.invalid' | 'logic.over_budget';
  message: string;
}

export interface LogicLimits {
  /** Nesting of operators and arrays. Bounds recursion in the compiler and interpreter. */
  maxDepth: number;
  /** Operators, arrays and literals counted together. */
  maxNodes: number;
}

export const DEFAULT_LOGIC_LIMITS: LogicLimits = { maxDepth: 64, maxNodes: 5000 };

export interface ValidateLogicOptions {
  operators?: OperatorTable;
  limits?: Partial<LogicLimits>;
  /** Also refuse a rule certain to go over this evaluation budget (budget-check.ts). */
  budget?: LogicBudget;
}

/** Same test as json-logic-js: an object with exactly one key is an operation, anything else a literal. */
export function isLogic(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 1;
}

export function validateLogic(rule: unknown, options: ValidateLogicOptions = {}): LogicIssue[] {
  const operators = options.operators ?? defaultOperators;
  const limits = { ...DEFAULT_LOGIC_LIMITS, ...options.limits };
  const issues: LogicIssue[] = [];
  let nodes = 0;
  let stopped = false;

  const visit = (value: unknown, path: LogicPath, depth: number): void => {
    if (stopped) return;
    nodes++;
    if (nodes > limits.maxNodes) {
      issues.push({ path, code: 'logic.too_large', message: `Rule has more than ${limits.maxNodes} parts` });
      stopped = true;
      return;
    }
    if (depth > limits.maxDepth) {
      issues.push({ path, code: 'logic.too_deep', message: `Rule is nested deeper than ${limits.maxDepth} levels` });
      stopped = true;
      return;
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) visit(value[i], [...path, i], depth + 1);
      return;
    }
    if (!isLogic(value)) return;
    const op = Object.keys(value)[0] as string;
    if (!operators.has(op)) {
      issues.push({
        path: [...path, op],
        code: 'logic.unknown_operator',
        message: `Unknown JSON Logic operator ${JSON.stringify(op)}`,
      });
    }
    const args = value[op];
    if (Array.isArray(args)) for (let i = 0; i < args.length; i++) visit(args[i], [...path, op, i], depth + 1);
    else visit(args, [...path, op], depth + 1);
  };

  try {
    visit(rule, [], 0);
  } catch {
    // Exotic inputs (throwing getters, proxies) must not escape a validator.
    issues.push({ path: [], code: 'logic.invalid', message: 'Rule could not be read' });
  }
  if (issues.length === 0 && options.budget) issues.push(...checkLogicBudget(rule, options.budget));
  return issues;
}
