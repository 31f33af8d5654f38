import { useEffect, useId, useMemo, useState } from 'react';
import { type Field, formatQuery, QueryBuilder, type RuleGroupType } from 'react-querybuilder';
import { parseJsonLogic } from 'react-querybuilder/parseJsonLogic';
import 'react-querybuilder/dist/query-builder.css';

const EMPTY: RuleGroupType = { combinator: 'and', rules: [] };

function toQuery(logic: unknown): RuleGroupType | null {
  if (logic === undefined || logic === null) return EMPTY;
  try {
    const q = parseJsonLogic(logic as Parameters<typeof parseJsonLogic>[0]);
    // A rule the builder cannot show faithfully stays in the raw tab (it would be rewritten otherwise).
    const round = formatQuery(q, { format: 'jsonlogic', parseNumbers: true });
    return JSON.stringify(round) === JSON.stringify(logic) ? q : null;
  } catch {
    return null;
  }
}

/**
 * Field / operator / value rows with AND / OR groups for people who do not write JSON Logic, and
 * the raw JSON Logic for engineers; both edit the same value.
 */
export function ConditionBuilder({
  label,
  value,
  fields,
  readOnly,
  onChange,
}: {
  label: string;
  value: unknown;
  fields: { name: string; label: string }[];
  readOnly: boolean;
  onChange(logic: unknown): void;
}) {
  const id = useId();
  const [tab, setTab] = useState<'builder' | 'raw'>('builder');
  const [query, setQuery] = useState<RuleGroupType | null>(() => toQuery(value));
  const [raw, setRaw] = useState(() => (value === undefined ? '' : JSON.stringify(value, null, 2)));
  const [rawError, setRawError] = useState<string | null>(null);

  // Keep both views in step when the value changes from outside (undo, the other tab).
  useEffect(() => {
    setQuery(toQuery(value));
    setRaw(value === undefined ? '' : JSON.stringify(value, null, 2));
  }, [value]);

  const qbFields: Field[] = useMemo(() => {
    const names = new Set(fields.map((f) => f.name));
    const extra = [...collectVars(value)].filter((v) => !names.has(v)).map((v) => ({ name: v, label: v }));
    return [...fields, ...extra];
  }, [fields, value]);

  return (
    <fieldset className="condition" aria-labelledby={`${id}-label`}>
      <div className="condition__head">
        <span id={`${id}-label`} className="condition__label">
          {label}
        </span>
        <div className="tabs" role="tablist">
          <button type="button" role="tab" aria-selected={tab === 'builder'} onClick={() => setTab('builder')}>
            Builder
          </button>
          <button type="button" role="tab" aria-selected={tab === 'raw'} onClick={() => setTab('raw')}>
            JSON Logic
          </button>
        </div>
      </div>
      {tab === 'builder' ? (
        query ? (
          <QueryBuilder
            fields={qbFields.length ? qbFields : [{ name: 'event.name', label: 'event name' }]}
            query={query}
            disabled={readOnly}
            onQueryChange={(q) => {
              setQuery(q);
              onChange(q.rules.length ? formatQuery(q, { format: 'jsonlogic', parseNumbers: true }) : undefined);
            }}
            controlClassnames={{ queryBuilder: 'qb' }}
          />
        ) : (
          <p className="muted">
            This condition uses JSON Logic the builder cannot show; edit it in the JSON Logic tab.
          </p>
        )
      ) : (
        <>
          <textarea
            aria-label={`${label} (JSON Logic)`}
            className="code"
            rows={8}
            readOnly={readOnly}
            value={raw}
            onChange={(e) => {
              setRaw(e.target.value);
              if (e.target.value.trim() === '') {
                setRawError(null);
                onChange(undefined);
                return;
              }
              try {
                const parsed = JSON.parse(e.target.value);
                setRawError(null);
                onChange(parsed);
              } catch (err) {
                setRawError((err as Error).message);
              }
            }}
          />
          {rawError ? <p className="tw-field__error">Not valid JSON: {rawError}</p> : null}
        </>
      )}
    </fieldset>
  );
}

function collectVars(logic: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(logic)) for (const item of logic) collectVars(item, out);
  else if (logic && typeof logic === 'object') {
    for (const [op, args] of Object.entries(logic)) {
      if (op === 'var') {
        const name = Array.isArray(args) ? args[0] : args;
        if (typeof name === 'string' && name) out.add(name);
      } else collectVars(args, out);
    }
  }
  return out;
}
