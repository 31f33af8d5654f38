import {
  type ConditionGroup,
  type ConditionNode,
  type ConditionOperator,
  type ConditionRule,
  type ConditionValue,
  describeVariable,
  operatorsFor,
  UNARY_OPERATORS,
  type ValueKind,
  valueKind,
  variableFromTyped,
} from '@tripwire/rules';
import { useId, useState } from 'react';
import { ListInput, ValueInput } from './condition-values';

export interface FieldOption {
  /** Rule variable, e.g. event.properties.total */
  name: string;
  label: string;
  kind?: ValueKind;
  /** The values the tracking plan allows (an enum), offered in the value box. */
  choices?: (string | number)[];
}

export interface RowsContext {
  fields: FieldOption[];
  readOnly: boolean;
  listId: string;
  onProblem(key: string, message: string | null): void;
}

const KIND_LABEL: Record<ValueKind, string> = { number: 'number', string: 'text', boolean: 'yes / no', date: 'date' };

function operatorLabel(op: ConditionOperator, kind: ValueKind): string {
  const date = kind === 'date';
  switch (op) {
    case 'equals':
      return 'is';
    case 'not_equals':
      return 'is not';
    case 'gt':
      return date ? 'is after' : 'is more than';
    case 'gte':
      return date ? 'is on or after' : 'is at least';
    case 'lt':
      return date ? 'is before' : 'is less than';
    case 'lte':
      return date ? 'is on or before' : 'is at most';
    case 'contains':
      return 'contains';
    case 'not_contains':
      return 'does not contain';
    case 'one_of':
      return 'is one of';
    case 'is_set':
      return 'is set';
    case 'is_not_set':
      return 'is not set';
    case 'is_true':
      return 'is true';
    default:
      return 'is not true';
  }
}

/** How a variable is typed into the field box: a bare name is an event property. */
export function typedForm(path: string): string {
  return path.startsWith('event.properties.') ? path.slice('event.properties.'.length) : path;
}

function kindOfRule(rule: ConditionRule, fields: FieldOption[]): ValueKind {
  if (rule.operand && 'value' in rule.operand) return valueKind(rule.operand.value);
  if (rule.operator === 'one_of' && rule.values?.length) return valueKind(rule.values[0]);
  if (rule.operator === 'is_true' || rule.operator === 'is_not_true') return 'boolean';
  return fields.find((f) => f.name === rule.field)?.kind ?? 'string';
}

export function defaultValue(kind: ValueKind): ConditionValue {
  if (kind === 'number') return 0;
  if (kind === 'boolean') return true;
  if (kind === 'date') return new Date().toISOString().slice(0, 10);
  return '';
}

function convert(value: ConditionValue, kind: ValueKind): ConditionValue {
  if (kind === 'number') return typeof value === 'number' ? value : Number.isFinite(Number(value)) ? Number(value) : 0;
  if (kind === 'boolean') return typeof value === 'boolean' ? value : value === 'true';
  if (kind === 'date') return valueKind(value) === 'date' ? value : defaultValue('date');
  return String(value);
}

export function newRule(fields: FieldOption[]): ConditionRule {
  const field = fields.find((f) => f.name.startsWith('event.properties.')) ?? fields[0];
  const kind = field?.kind ?? 'string';
  return {
    kind: 'rule',
    field: field?.name ?? 'event.name',
    operator: operatorsFor(kind)[0] as ConditionOperator,
    ...(kind === 'boolean' ? {} : { operand: { value: defaultValue(kind) } }),
  };
}

export function GroupRows({
  group,
  depth,
  ctx,
  onChange,
  onRemove,
}: {
  group: ConditionGroup;
  depth: number;
  ctx: RowsContext;
  onChange(group: ConditionGroup): void;
  onRemove?: () => void;
}) {
  const setChild = (i: number, child: ConditionNode | null) =>
    onChange({
      ...group,
      children: child ? group.children.map((c, j) => (j === i ? child : c)) : group.children.filter((_, j) => j !== i),
    });
  return (
    <div className={depth ? 'cond-group cond-group--nested' : 'cond-group'}>
      {group.children.length > 1 || depth > 0 ? (
        <div className="cond-group__head">
          <label>
            <span>Match</span>
            <select
              aria-label="Match all or any"
              disabled={ctx.readOnly}
              value={group.combinator}
              onChange={(e) => onChange({ ...group, combinator: e.target.value as 'and' | 'or' })}
            >
              <option value="and">all of these</option>
              <option value="or">any of these</option>
            </select>
          </label>
          {onRemove && !ctx.readOnly ? (
            <button type="button" className="tw-button tw-button--ghost" onClick={onRemove} aria-label="Remove group">
              Remove group
            </button>
          ) : null}
        </div>
      ) : null}
      {group.children.length === 0 ? <p className="muted small">No rules: always true.</p> : null}
      <ol className="cond-rows">
        {group.children.map((child, i) => (
          <li key={i}>
            {child.kind === 'rule' ? (
              <RuleRow
                rule={child}
                ctx={ctx}
                index={`${depth}-${i}`}
                onChange={(r) => setChild(i, r)}
                onRemove={() => setChild(i, null)}
              />
            ) : (
              <GroupRows
                group={child}
                depth={depth + 1}
                ctx={ctx}
                onChange={(g) => setChild(i, g)}
                onRemove={() => setChild(i, null)}
              />
            )}
          </li>
        ))}
      </ol>
      {ctx.readOnly ? null : (
        <div className="cond-group__add">
          <button
            type="button"
            className="tw-button tw-button--secondary"
            onClick={() => onChange({ ...group, children: [...group.children, newRule(ctx.fields)] })}
          >
            + Rule
          </button>
          {depth < 2 ? (
            <button
              type="button"
              className="tw-button tw-button--ghost"
              onClick={() =>
                onChange({
                  ...group,
                  children: [
                    ...group.children,
                    {
                      kind: 'group',
                      combinator: group.combinator === 'and' ? 'or' : 'and',
                      children: [newRule(ctx.fields)],
                    },
                  ],
                })
              }
            >
              + Group
            </button>
          ) : null}
        </div>
      )}
    </div>
  );
}

function RuleRow({
  rule,
  ctx,
  index,
  onChange,
  onRemove,
}: {
  rule: ConditionRule;
  ctx: RowsContext;
  index: string;
  onChange(rule: ConditionRule): void;
  onRemove(): void;
}) {
  const id = useId();
  const kind = kindOfRule(rule, ctx.fields);
  const operators = operatorsFor(kind);
  const ops = operators.includes(rule.operator) ? operators : [rule.operator, ...operators];
  const compareWithField = rule.operand !== undefined && 'field' in rule.operand;
  const [fieldText, setFieldText] = useState(typedForm(rule.field));

  const setKind = (next: ValueKind) => {
    const op = operatorsFor(next).includes(rule.operator)
      ? rule.operator
      : (operatorsFor(next)[0] as ConditionOperator);
    const base: ConditionRule = { kind: 'rule', field: rule.field, operator: op };
    if (UNARY_OPERATORS.includes(op)) return onChange(base);
    if (op === 'one_of') return onChange({ ...base, values: (rule.values ?? []).map((v) => convert(v, next)) });
    const old = rule.operand && 'value' in rule.operand ? rule.operand.value : defaultValue(next);
    onChange({ ...base, operand: compareWithField && rule.operand ? rule.operand : { value: convert(old, next) } });
  };
  const setOperator = (op: ConditionOperator) => {
    const base: ConditionRule = { kind: 'rule', field: rule.field, operator: op };
    if (UNARY_OPERATORS.includes(op)) return onChange(base);
    if (op === 'one_of') {
      const first = rule.operand && 'value' in rule.operand ? [rule.operand.value] : [];
      return onChange({ ...base, values: rule.values ?? first });
    }
    onChange({ ...base, operand: rule.operand ?? { value: rule.values?.[0] ?? defaultValue(kind) } });
  };

  return (
    <fieldset className="cond-rule" aria-label={`Rule: ${describeVariable(rule.field)}`}>
      <div className="cond-rule__line">
        <input
          id={`${id}-field`}
          className="cond-rule__field"
          aria-label="Field"
          list={ctx.listId}
          readOnly={ctx.readOnly}
          placeholder="property, e.g. total"
          value={fieldText}
          onChange={(e) => {
            setFieldText(e.target.value);
            const path = variableFromTyped(e.target.value);
            ctx.onProblem(`${index}-field`, path ? null : 'Enter the property the rule reads, e.g. total');
            if (path) onChange({ ...rule, field: path });
          }}
        />
        <select
          aria-label="Type"
          className="cond-rule__kind"
          disabled={ctx.readOnly}
          value={kind}
          onChange={(e) => setKind(e.target.value as ValueKind)}
        >
          {(Object.keys(KIND_LABEL) as ValueKind[]).map((k) => (
            <option key={k} value={k}>
              {KIND_LABEL[k]}
            </option>
          ))}
        </select>
        {ctx.readOnly ? null : (
          <button
            type="button"
            className="tw-button tw-button--ghost cond-rule__remove"
            aria-label="Remove rule"
            onClick={onRemove}
          >
            ✕
          </button>
        )}
      </div>
      <div className="cond-rule__line">
        <select
          aria-label="Operator"
          className="cond-rule__op"
          disabled={ctx.readOnly}
          value={rule.operator}
          onChange={(e) => setOperator(e.target.value as ConditionOperator)}
        >
          {ops.map((op) => (
            <option key={op} value={op}>
              {operatorLabel(op, kind)}
            </option>
          ))}
        </select>
        {UNARY_OPERATORS.includes(rule.operator) ? null : rule.operator === 'one_of' ? (
          <ListInput rule={rule} kind={kind} ctx={ctx} index={index} onChange={onChange} />
        ) : (
          <>
            <select
              aria-label="Compare with"
              className="cond-rule__with"
              disabled={ctx.readOnly}
              value={compareWithField ? 'field' : 'value'}
              onChange={(e) =>
                onChange({
                  ...rule,
                  operand:
                    e.target.value === 'field'
                      ? { field: rule.field.replace(/^event\./, 'trigger.') }
                      : { value: defaultValue(kind) },
                })
              }
            >
              <option value="value">value</option>
              <option value="field">field</option>
            </select>
            {compareWithField && rule.operand && 'field' in rule.operand ? (
              <input
                aria-label="Other field"
                className="cond-rule__value"
                list={ctx.listId}
                readOnly={ctx.readOnly}
                defaultValue={typedForm(rule.operand.field)}
                onChange={(e) => {
                  const path = variableFromTyped(e.target.value);
                  ctx.onProblem(`${index}-other`, path ? null : 'Enter the field to compare with');
                  if (path) onChange({ ...rule, operand: { field: path } });
                }}
              />
            ) : (
              <ValueInput rule={rule} kind={kind} ctx={ctx} index={index} onChange={onChange} />
            )}
          </>
        )}
      </div>
      <p className="cond-rule__hint muted small">{describeVariable(rule.field)}</p>
    </fieldset>
  );
}
