import { type ConditionRule, describeVariable, type ValueKind } from '@tripwire/rules';
import { useId, useState } from 'react';
import type { RowsContext } from './condition-rows';

// The value box of a builder row, by the kind of value: numbers are typed as text so a typo gets
// its message instead of being swallowed by the browser; lists are comma-separated.

export function ValueInput({
  rule,
  kind,
  ctx,
  index,
  onChange,
}: {
  rule: ConditionRule;
  kind: ValueKind;
  ctx: RowsContext;
  index: string;
  onChange(rule: ConditionRule): void;
}) {
  const value = rule.operand && 'value' in rule.operand ? rule.operand.value : '';
  const [text, setText] = useState(String(value));
  const listId = useId();
  // The tracking plan's allowed values for this field, offered (typing another value still works).
  const choices = ctx.fields.find((f) => f.name === rule.field)?.choices;
  if (kind === 'boolean') {
    return (
      <select
        aria-label="Value"
        className="cond-rule__value"
        disabled={ctx.readOnly}
        value={String(value)}
        onChange={(e) => onChange({ ...rule, operand: { value: e.target.value === 'true' } })}
      >
        <option value="true">true</option>
        <option value="false">false</option>
      </select>
    );
  }
  return (
    <>
      {choices && kind !== 'date' ? (
        <datalist id={listId}>
          {choices.map((c) => (
            <option key={String(c)} value={String(c)} />
          ))}
        </datalist>
      ) : null}
      <input
        aria-label="Value"
        className="cond-rule__value"
        list={choices && kind !== 'date' ? listId : undefined}
        // Numbers in a text box: a typo shows its message instead of being swallowed by the browser.
        type={kind === 'date' ? 'date' : 'text'}
        inputMode={kind === 'number' ? 'decimal' : undefined}
        readOnly={ctx.readOnly}
        value={kind === 'date' ? String(value).slice(0, 10) : text}
        onChange={(e) => {
          const next = e.target.value;
          setText(next);
          if (kind === 'number') {
            const n = Number(next);
            const ok = next.trim() !== '' && Number.isFinite(n);
            ctx.onProblem(`${index}-value`, ok ? null : `Enter a number for ${describeVariable(rule.field)}`);
            if (ok) onChange({ ...rule, operand: { value: n } });
          } else if (kind === 'date') {
            ctx.onProblem(`${index}-value`, next ? null : `Choose a date for ${describeVariable(rule.field)}`);
            if (next) onChange({ ...rule, operand: { value: next } });
          } else onChange({ ...rule, operand: { value: next } });
        }}
      />
    </>
  );
}

export function ListInput({
  rule,
  kind,
  ctx,
  index,
  onChange,
}: {
  rule: ConditionRule;
  kind: ValueKind;
  ctx: RowsContext;
  index: string;
  onChange(rule: ConditionRule): void;
}) {
  const [text, setText] = useState((rule.values ?? []).join(', '));
  return (
    <input
      aria-label="Values, separated by commas"
      className="cond-rule__value"
      readOnly={ctx.readOnly}
      placeholder="pro, team"
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        const parts = e.target.value
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean);
        const values = kind === 'number' ? parts.map(Number) : parts;
        const bad = values.some((v) => typeof v === 'number' && !Number.isFinite(v));
        ctx.onProblem(`${index}-list`, bad ? 'Enter numbers separated by commas' : null);
        if (!bad) onChange({ ...rule, values });
      }}
    />
  );
}
