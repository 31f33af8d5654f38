// The condition builder's model: rows of "field operator value" in AND / OR groups, and the exact
// JSON Logic each row stands for. Pure, so the editor, the tests and anything that shows a rule
// share it. A rule the model cannot express exactly is left to the JSON Logic tab (never rewritten).
import { sameJson } from '../workflow/same-json.ts';

export const CONDITION_OPERATORS = [
  'equals',
  'not_equals',
  'gt',
  'gte',
  'lt',
  'lte',
  'contains',
  'not_contains',
  'one_of',
  'is_set',
  'is_not_set',
  'is_true',
  'is_not_true',
] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

export type ConditionValue = string | number | boolean;

/** What a rule compares with: a typed value, or another field (the trigger's cartId). */
export type Operand = { value: ConditionValue } | { field: string };

export interface ConditionRule {
  kind: 'rule';
  /** The rule variable, e.g. "event.properties.total". */
  field: string;
  operator: ConditionOperator;
  /** For comparisons; absent for is set / is true and friends. */
  operand?: Operand;
  /** For one_of. */
  values?: ConditionValue[];
}

export interface ConditionGroup {
  kind: 'group';
  combinator: 'and' | 'or';
  children: (ConditionRule | ConditionGroup)[];
}

export type ConditionNode = ConditionRule | ConditionGroup;

const BINARY: Partial<Record<ConditionOperator, string>> = {
  equals: '==',
  not_equals: '!=',
  gt: '>',
  gte: '>=',
  lt: '<',
  lte: '<=',
};
const FROM_BINARY = Object.fromEntries(Object.entries(BINARY).map(([k, v]) => [v, k])) as Record<
  string,
  ConditionOperator
>;

/** Operators that take no operand. */
export const UNARY_OPERATORS: readonly ConditionOperator[] = ['is_set', 'is_not_set', 'is_true', 'is_not_true'];

/** What kind of value a literal is; ISO dates compare in time order as strings do. */
export type ValueKind = 'number' | 'string' | 'boolean' | 'date';
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;

export function valueKind(value: unknown): ValueKind {
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'string' && ISO_DATE.test(value)) return 'date';
  return 'string';
}

/** The operators that make sense for a kind of value, in menu order. */
export function operatorsFor(kind: ValueKind): ConditionOperator[] {
  switch (kind) {
    case 'number':
      return ['equals', 'not_equals', 'gt', 'gte', 'lt', 'lte', 'one_of', 'is_set', 'is_not_set'];
    case 'date':
      return ['gt', 'lt', 'gte', 'lte', 'equals', 'not_equals', 'is_set', 'is_not_set'];
    case 'boolean':
      return ['is_true', 'is_not_true', 'equals', 'not_equals', 'is_set', 'is_not_set'];
    default:
      return ['equals', 'not_equals', 'contains', 'not_contains', 'one_of', 'is_set', 'is_not_set'];
  }
}

const v = (path: string) => ({ var: path });
const operandLogic = (operand: Operand | undefined): unknown =>
  operand === undefined ? '' : 'field' in operand ? v(operand.field) : operand.value;

export function ruleToLogic(rule: ConditionRule): unknown {
  const field = v(rule.field);
  const binary = BINARY[rule.operator];
  if (binary) return { [binary]: [field, operandLogic(rule.operand)] };
  switch (rule.operator) {
    case 'contains':
      return { in: [operandLogic(rule.operand), field] };
    case 'not_contains':
      return { '!': [{ in: [operandLogic(rule.operand), field] }] };
    case 'one_of':
      return { in: [field, [...(rule.values ?? [])]] };
    case 'is_set':
      return { '!=': [field, null] };
    case 'is_not_set':
      return { '==': [field, null] };
    case 'is_true':
      return { '!!': [field] };
    default:
      return { '!': [field] };
  }
}

function groupToLogic(group: ConditionGroup): unknown {
  return { [group.combinator]: group.children.map(nodeToLogic) };
}

function nodeToLogic(node: ConditionNode): unknown {
  return node.kind === 'rule' ? ruleToLogic(node) : groupToLogic(node);
}

/**
 * The root group as JSON Logic: nothing for no rows, the bare rule for one row (how people and
 * the templates write `total >= 500`), `{and|or: [...]}` otherwise.
 */
export function conditionToLogic(root: ConditionGroup): unknown {
  const top = normalizeCondition(root);
  if (top.children.length === 0) return undefined;
  if (top.children.length === 1) return nodeToLogic(top.children[0] as ConditionNode);
  return groupToLogic(top);
}

/**
 * The one shape a root group has after a round trip: a lone sub-group is lifted to the root and a
 * root of at most one row is an AND (one row reads the same either way).
 */
export function normalizeCondition(root: ConditionGroup): ConditionGroup {
  const only = root.children.length === 1 ? root.children[0] : undefined;
  if (only?.kind === 'group') return normalizeCondition(only);
  return { kind: 'group', combinator: root.children.length <= 1 ? 'and' : root.combinator, children: root.children };
}

function isVar(x: unknown): x is { var: string } {
  return (
    typeof x === 'object' &&
    x !== null &&
    !Array.isArray(x) &&
    Object.keys(x).length === 1 &&
    typeof (x as { var?: unknown }).var === 'string' &&
    (x as { var: string }).var !== ''
  );
}

function isLiteral(x: unknown): x is ConditionValue {
  return typeof x === 'string' || typeof x === 'boolean' || (typeof x === 'number' && Number.isFinite(x));
}

function toOperand(x: unknown): Operand | null {
  if (isVar(x)) return { field: x.var };
  return isLiteral(x) ? { value: x } : null;
}

/** The single operator and its arguments (as an array) of a JSON Logic object, or null. */
function split(logic: unknown): [string, unknown[]] | null {
  if (typeof logic !== 'object' || logic === null || Array.isArray(logic)) return null;
  const keys = Object.keys(logic);
  if (keys.length !== 1) return null;
  const op = keys[0] as string;
  const args = (logic as Record<string, unknown>)[op];
  return [op, Array.isArray(args) ? args : [args]];
}

function parseRule(logic: unknown): ConditionRule | null {
  const parts = split(logic);
  if (!parts) return null;
  const [op, args] = parts;
  const binary = FROM_BINARY[op];
  if (binary && args.length === 2 && isVar(args[0])) {
    if (args[1] === null && (op === '==' || op === '!=')) {
      return { kind: 'rule', field: args[0].var, operator: op === '==' ? 'is_not_set' : 'is_set' };
    }
    const operand = toOperand(args[1]);
    return operand ? { kind: 'rule', field: args[0].var, operator: binary, operand } : null;
  }
  if (op === 'in' && args.length === 2) {
    if (isVar(args[1])) {
      const operand = toOperand(args[0]);
      return operand ? { kind: 'rule', field: args[1].var, operator: 'contains', operand } : null;
    }
    if (isVar(args[0]) && Array.isArray(args[1]) && args[1].every(isLiteral)) {
      return { kind: 'rule', field: args[0].var, operator: 'one_of', values: [...args[1]] };
    }
    return null;
  }
  if ((op === '!' || op === '!!') && args.length === 1) {
    if (isVar(args[0])) return { kind: 'rule', field: args[0].var, operator: op === '!' ? 'is_not_true' : 'is_true' };
    const inner = op === '!' ? parseRule(args[0]) : null;
    if (inner?.operator === 'contains') return { ...inner, operator: 'not_contains' };
  }
  return null;
}

function parseNode(logic: unknown): ConditionNode | null {
  const parts = split(logic);
  if (parts && (parts[0] === 'and' || parts[0] === 'or')) {
    const children = parts[1].map(parseNode);
    if (children.some((c) => c === null)) return null;
    return { kind: 'group', combinator: parts[0], children: children as ConditionNode[] };
  }
  return parseRule(logic);
}

/**
 * JSON Logic as builder rows, or null when the builder cannot show it exactly (then the editor
 * keeps it in the JSON Logic tab rather than rewrite what someone wrote by hand).
 */
export function conditionFromLogic(logic: unknown): ConditionGroup | null {
  if (logic === undefined || logic === null) return { kind: 'group', combinator: 'and', children: [] };
  const node = parseNode(logic);
  if (!node) return null;
  const root: ConditionGroup = node.kind === 'group' ? node : { kind: 'group', combinator: 'and', children: [node] };
  // Only exact round trips: `{"and": [x]}` at the root would come back as x.
  return sameJson(conditionToLogic(root), logic) ? root : null;
}
