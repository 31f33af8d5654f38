import type { FieldMeta } from '@tripwire/rules';
import { fromHumanDuration, toHumanDuration } from '@tripwire/rules';
import { useEffect, useId, useState } from 'react';

type Unit = 'seconds' | 'minutes' | 'hours' | 'days' | 'weeks';
const UNITS: Unit[] = ['seconds', 'minutes', 'hours', 'days', 'weeks'];

export interface ControlProps {
  meta: FieldMeta & { key: string };
  value: unknown;
  readOnly: boolean;
  onChange(value: unknown): void;
  error?: string | undefined;
  listId?: string | undefined;
}

function Shell({
  meta,
  error,
  children,
  htmlFor,
}: {
  meta: FieldMeta;
  error?: string | undefined;
  children: React.ReactNode;
  htmlFor: string;
}) {
  return (
    <div className="tw-field">
      <label htmlFor={htmlFor}>
        {meta.label}
        {meta.required || meta.default !== undefined ? null : <span className="muted"> (optional)</span>}
      </label>
      {children}
      {error ? (
        <p className="tw-field__error">{error}</p>
      ) : meta.help ? (
        <p className="tw-field__hint">{meta.help}</p>
      ) : null}
    </div>
  );
}

/** Durations in human units, stored as ISO-8601 (PT10M, P1D). */
export function DurationControl({ meta, value, readOnly, onChange, error }: ControlProps) {
  const id = useId();
  const parse = (v: unknown) => {
    try {
      return typeof v === 'string' ? toHumanDuration(v) : { value: 10, unit: 'minutes' as Unit };
    } catch {
      return { value: 10, unit: 'minutes' as Unit };
    }
  };
  const [state, setState] = useState(() => parse(value));
  useEffect(() => setState(parse(value)), [value]);
  const emit = (next: { value: number; unit: Unit }) => {
    setState(next);
    if (Number.isFinite(next.value) && next.value > 0) {
      try {
        onChange(fromHumanDuration(next));
      } catch {
        // Out of range: the validation message on the node explains it.
      }
    }
  };
  return (
    <Shell meta={meta} error={error} htmlFor={id}>
      <div className="duration">
        <input
          id={id}
          type="number"
          min={1}
          readOnly={readOnly}
          value={state.value}
          onChange={(e) => emit({ ...state, value: Number(e.target.value) })}
        />
        <select
          aria-label={`${meta.label} unit`}
          disabled={readOnly}
          value={state.unit}
          onChange={(e) => emit({ ...state, unit: e.target.value as Unit })}
        >
          {UNITS.map((u) => (
            <option key={u} value={u}>
              {u}
            </option>
          ))}
        </select>
      </div>
    </Shell>
  );
}

export function TextControl({ meta, value, readOnly, onChange, error, listId }: ControlProps) {
  const id = useId();
  return (
    <Shell meta={meta} error={error} htmlFor={id}>
      <input
        id={id}
        type={meta.widget === 'url' ? 'url' : 'text'}
        list={listId}
        readOnly={readOnly}
        placeholder={meta.placeholder}
        value={typeof value === 'string' ? value : ''}
        onChange={(e) => onChange(e.target.value === '' && !meta.required ? undefined : e.target.value)}
      />
    </Shell>
  );
}

export function IntegerControl({ meta, value, readOnly, onChange, error }: ControlProps) {
  const id = useId();
  return (
    <Shell meta={meta} error={error} htmlFor={id}>
      <input
        id={id}
        type="number"
        step={1}
        min={meta.min}
        max={meta.max}
        readOnly={readOnly}
        value={typeof value === 'number' ? value : ''}
        onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))}
      />
    </Shell>
  );
}

export function SelectControl({ meta, value, readOnly, onChange, error }: ControlProps) {
  const id = useId();
  return (
    <Shell meta={meta} error={error} htmlFor={id}>
      <select
        id={id}
        disabled={readOnly}
        value={typeof value === 'string' ? value : String(meta.default ?? '')}
        onChange={(e) => onChange(e.target.value)}
      >
        {(meta.options ?? []).map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </Shell>
  );
}

/** A template; with `json`, any JSON value whose strings may hold {{ placeholders }} (a request body). */
export function TemplateControl({ meta, value, readOnly, onChange, error }: ControlProps) {
  const id = useId();
  const [text, setText] = useState(() =>
    meta.json ? (value === undefined ? '' : JSON.stringify(value, null, 2)) : typeof value === 'string' ? value : '',
  );
  const [parseError, setParseError] = useState<string | null>(null);
  return (
    <Shell meta={meta} error={parseError ?? error} htmlFor={id}>
      <textarea
        id={id}
        className="code"
        rows={meta.json ? 6 : 2}
        readOnly={readOnly}
        placeholder={meta.placeholder ?? (meta.json ? '{ "user": "{{ event.userId }}" }' : '{{ event.userId }}')}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          if (!meta.json) return onChange(e.target.value === '' && !meta.required ? undefined : e.target.value);
          if (e.target.value.trim() === '') {
            setParseError(null);
            return onChange(undefined);
          }
          try {
            onChange(JSON.parse(e.target.value));
            setParseError(null);
          } catch (err) {
            setParseError(`Not valid JSON: ${(err as Error).message}`);
          }
        }}
      />
    </Shell>
  );
}

export function KeyValueControl({ meta, value, readOnly, onChange, error }: ControlProps) {
  const id = useId();
  const rows = Object.entries((value as Record<string, string> | undefined) ?? {});
  const set = (next: [string, string][]) => onChange(next.length ? Object.fromEntries(next) : undefined);
  return (
    <Shell meta={meta} error={error} htmlFor={id}>
      <div className="kv" id={id}>
        {rows.map(([k, v], i) => (
          <div key={`${i}-${k}`} className="kv__row">
            <input
              aria-label={`${meta.label} name ${i + 1}`}
              readOnly={readOnly}
              value={k}
              onChange={(e) => set(rows.map((r, j) => (j === i ? [e.target.value, r[1]] : r)))}
            />
            <input
              aria-label={`${meta.label} value ${i + 1}`}
              readOnly={readOnly}
              value={v}
              onChange={(e) => set(rows.map((r, j) => (j === i ? [r[0], e.target.value] : r)))}
            />
            {readOnly ? null : (
              <button
                type="button"
                className="tw-button tw-button--ghost"
                aria-label={`Remove ${k || 'row'}`}
                onClick={() => set(rows.filter((_, j) => j !== i))}
              >
                ✕
              </button>
            )}
          </div>
        ))}
        {readOnly ? null : (
          <button
            type="button"
            className="tw-button tw-button--ghost"
            onClick={() => set([...rows, [`x-header-${rows.length + 1}`, '']])}
          >
            + Add
          </button>
        )}
      </div>
    </Shell>
  );
}
