import type { FieldMeta } from '@tripwire/rules';
import { durationInputProblem, fromHumanDuration, jsonProblem, toHumanDuration } from '@tripwire/rules';
import { useEffect, useId, useRef, useState } from 'react';

type Unit = 'seconds' | 'minutes' | 'hours' | 'days' | 'weeks';
const UNITS: Unit[] = ['seconds', 'minutes', 'hours', 'days', 'weeks'];

export interface ControlProps {
  meta: FieldMeta & { key: string };
  value: unknown;
  readOnly: boolean;
  onChange(value: unknown): void;
  error?: string | undefined;
  listId?: string | undefined;
  /** Reports what was typed but cannot be stored (shown on the field and in the problems bar). */
  onProblem(message: string | null): void;
  /** Placeholders a template may use, for the "insert" menu. */
  placeholders?: { path: string; label: string }[];
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
        <p id={`${htmlFor}-note`} className="tw-field__error">
          {error}
        </p>
      ) : meta.help ? (
        <p id={`${htmlFor}-note`} className="tw-field__hint">
          {meta.help.replace(/`/g, '')}
        </p>
      ) : null}
    </div>
  );
}

/** Durations in human units, stored as ISO-8601 (PT10M, P1D); a value out of range is an error, not ignored. */
export function DurationControl({ meta, value, readOnly, onChange, error, onProblem }: ControlProps) {
  const id = useId();
  const parse = (v: unknown) => {
    try {
      return typeof v === 'string' ? toHumanDuration(v) : { value: 10, unit: 'minutes' as Unit };
    } catch {
      return { value: 10, unit: 'minutes' as Unit };
    }
  };
  const [state, setState] = useState(() => ({ ...parse(value), text: String(parse(value).value) }));
  const ours = useRef(value);
  useEffect(() => {
    if (value === ours.current) return;
    ours.current = value;
    setState({ ...parse(value), text: String(parse(value).value) });
  }, [value]);
  const emit = (next: { text: string; unit: Unit }) => {
    const number = next.text.trim() === '' ? Number.NaN : Number(next.text);
    setState({ value: number, unit: next.unit, text: next.text });
    const problem = durationInputProblem(number, next.unit);
    onProblem(problem);
    if (problem) return;
    const iso = fromHumanDuration({ value: number, unit: next.unit });
    ours.current = iso;
    onChange(iso);
  };
  return (
    <Shell meta={meta} error={error} htmlFor={id}>
      <div className="duration">
        <input
          id={id}
          type="number"
          inputMode="decimal"
          readOnly={readOnly}
          value={state.text}
          aria-invalid={error ? true : undefined}
          aria-describedby={error || meta.help ? `${id}-note` : undefined}
          onChange={(e) => emit({ text: e.target.value, unit: state.unit })}
        />
        <select
          aria-label={`${meta.label} unit`}
          disabled={readOnly}
          value={state.unit}
          onChange={(e) => emit({ text: state.text, unit: e.target.value as Unit })}
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
        aria-invalid={error ? true : undefined}
        aria-describedby={error || meta.help ? `${id}-note` : undefined}
        onChange={(e) => onChange(e.target.value === '' && !meta.required ? undefined : e.target.value)}
      />
    </Shell>
  );
}

export function IntegerControl({ meta, value, readOnly, onChange, error, onProblem }: ControlProps) {
  const id = useId();
  const [text, setText] = useState(typeof value === 'number' ? String(value) : '');
  useEffect(() => {
    if (typeof value === 'number' && Number(text) !== value) setText(String(value));
  }, [value]);
  const range =
    meta.min !== undefined && meta.max !== undefined
      ? `Enter a whole number from ${meta.min} to ${meta.max}`
      : 'Enter a whole number';
  return (
    <Shell meta={meta} error={error} htmlFor={id}>
      <input
        id={id}
        type="number"
        step={1}
        min={meta.min}
        max={meta.max}
        readOnly={readOnly}
        value={text}
        aria-invalid={error ? true : undefined}
        aria-describedby={error || meta.help ? `${id}-note` : undefined}
        onChange={(e) => {
          setText(e.target.value);
          const n = Number(e.target.value);
          const ok =
            e.target.value.trim() !== '' &&
            Number.isInteger(n) &&
            (meta.min === undefined || n >= meta.min) &&
            (meta.max === undefined || n <= meta.max);
          onProblem(ok ? null : range);
          if (ok) onChange(n);
        }}
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
export function TemplateControl({
  meta,
  value,
  readOnly,
  onChange,
  error,
  onProblem,
  placeholders = [],
}: ControlProps) {
  const id = useId();
  const area = useRef<HTMLTextAreaElement>(null);
  const [text, setText] = useState(() =>
    meta.json ? (value === undefined ? '' : JSON.stringify(value, null, 2)) : typeof value === 'string' ? value : '',
  );
  const [parseError, setParseError] = useState<string | null>(null);
  const update = (next: string) => {
    setText(next);
    if (!meta.json) return onChange(next === '' && !meta.required ? undefined : next);
    if (next.trim() === '') {
      setParseError(null);
      onProblem(null);
      return onChange(undefined);
    }
    const problem = jsonProblem(next);
    setParseError(problem);
    onProblem(problem ? `${meta.label}: ${problem}` : null);
    if (!problem) onChange(JSON.parse(next));
  };
  const insert = (path: string) => {
    const el = area.current;
    const token = `{{ ${path} }}`;
    const at = el?.selectionStart ?? text.length;
    const end = el?.selectionEnd ?? at;
    // Inside a JSON body a placeholder goes in a string; outside one it gets its own quotes.
    const inString = meta.json && (text.slice(0, at).match(/(?<!\\)"/g)?.length ?? 0) % 2 === 1;
    const piece = meta.json && !inString ? `"${token}"` : token;
    update(text.slice(0, at) + piece + text.slice(end));
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(at + piece.length, at + piece.length);
    });
  };
  return (
    <Shell meta={meta} error={parseError ?? error} htmlFor={id}>
      <textarea
        ref={area}
        id={id}
        className="code"
        rows={meta.json ? 6 : 2}
        readOnly={readOnly}
        aria-invalid={parseError || error ? true : undefined}
        aria-describedby={parseError || error || meta.help ? `${id}-note` : undefined}
        placeholder={meta.placeholder ?? (meta.json ? '{ "user": "{{ event.userId }}" }' : '{{ event.userId }}')}
        value={text}
        onChange={(e) => update(e.target.value)}
      />
      {readOnly || placeholders.length === 0 ? null : (
        <select
          className="placeholder-picker"
          aria-label={`Insert a placeholder into ${meta.label}`}
          value=""
          onChange={(e) => e.target.value && insert(e.target.value)}
        >
          <option value="">Insert a placeholder…</option>
          {placeholders.map((p) => (
            <option key={p.path} value={p.path}>
              {p.label}
            </option>
          ))}
        </select>
      )}
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
              // A credential (an API token) is not shown over a shoulder; it is still sent as typed.
              type={meta.secret ? 'password' : 'text'}
              autoComplete="off"
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
