import {
  type ConditionGroup,
  conditionFromLogic,
  conditionToLogic,
  describeLogic,
  jsonProblem,
  sameLogic,
} from '@tripwire/rules';
import { useEffect, useId, useRef, useState } from 'react';
import { type FieldOption, GroupRows, typedForm } from './condition-rows';

const EMPTY: ConditionGroup = { kind: 'group', combinator: 'and', children: [] };

/**
 * Field / operator / value rows in AND / OR groups for people who do not write JSON Logic, and
 * the raw JSON Logic for engineers; both edit the same value. The model (and its lossless round
 * trip) is packages/rules' conditions/builder-model.ts.
 */
export function ConditionBuilder({
  label,
  value,
  fields,
  readOnly,
  onChange,
  onProblem,
}: {
  label: string;
  value: unknown;
  fields: FieldOption[];
  readOnly: boolean;
  onChange(logic: unknown): void;
  onProblem(message: string | null): void;
}) {
  const id = useId();
  const [tab, setTab] = useState<'builder' | 'raw'>('builder');
  const [group, setGroup] = useState<ConditionGroup | null>(() => conditionFromLogic(value));
  const [raw, setRaw] = useState(() => (value === undefined ? '' : JSON.stringify(value, null, 2)));
  const [rawError, setRawError] = useState<string | null>(null);
  const emitted = useRef<unknown>(value);
  const problems = useRef(new Map<string, string>());

  // An outside change (undo, another node selected) replaces the rows; our own echo does not, so
  // a row being typed keeps its text.
  useEffect(() => {
    if (sameLogic(value, emitted.current)) return;
    emitted.current = value;
    setGroup(conditionFromLogic(value));
    setRaw(value === undefined ? '' : JSON.stringify(value, null, 2));
    problems.current.clear();
    setRawError(null);
    onProblem(null);
  }, [value, onProblem]);

  const report = (key: string, message: string | null) => {
    if (message) problems.current.set(key, message);
    else problems.current.delete(key);
    onProblem(problems.current.values().next().value ?? null);
  };

  const emit = (logic: unknown) => {
    emitted.current = logic;
    onChange(logic);
  };

  const known = new Set(fields.map((f) => f.name));
  const listId = `${id}-fields`;
  return (
    <fieldset className="condition" aria-labelledby={`${id}-label`}>
      <div className="condition__head">
        <span id={`${id}-label`} className="condition__label">
          {label}
        </span>
        <div className="tabs" role="tablist" aria-label={`${label}: how to edit`}>
          <button type="button" role="tab" aria-selected={tab === 'builder'} onClick={() => setTab('builder')}>
            Builder
          </button>
          <button type="button" role="tab" aria-selected={tab === 'raw'} onClick={() => setTab('raw')}>
            JSON Logic
          </button>
        </div>
      </div>
      <datalist id={listId}>
        {fields.map((f) => (
          <option key={f.name} value={typedForm(f.name)} label={f.label} />
        ))}
      </datalist>
      {tab === 'builder' ? (
        group ? (
          <GroupRows
            group={group}
            depth={0}
            ctx={{
              fields: known.size ? fields : [{ name: 'event.name', label: 'event name' }],
              readOnly,
              listId,
              onProblem: report,
            }}
            onChange={(next) => {
              setGroup(next);
              const logic = conditionToLogic(next);
              setRaw(logic === undefined ? '' : JSON.stringify(logic, null, 2));
              emit(logic);
            }}
          />
        ) : (
          <div className="condition__custom">
            <p>
              <strong>{describeLogic(value)}</strong>
            </p>
            <p className="muted small">
              This rule uses JSON Logic beyond the builder's rows; it reads as above. Change it in the JSON Logic tab,
              or{' '}
              {readOnly ? null : (
                <button
                  type="button"
                  className="linkish"
                  onClick={() => {
                    setGroup(EMPTY);
                    setRaw('');
                    emit(undefined);
                  }}
                >
                  start over with the builder
                </button>
              )}
              .
            </p>
          </div>
        )
      ) : (
        <>
          <textarea
            aria-label={`${label} (JSON Logic)`}
            className="code"
            rows={8}
            readOnly={readOnly}
            value={raw}
            aria-invalid={rawError ? true : undefined}
            onChange={(e) => {
              setRaw(e.target.value);
              if (e.target.value.trim() === '') {
                setRawError(null);
                report('raw', null);
                setGroup(EMPTY);
                emit(undefined);
                return;
              }
              const problem = jsonProblem(e.target.value);
              setRawError(problem);
              report('raw', problem);
              if (problem) return;
              const parsed = JSON.parse(e.target.value);
              setGroup(conditionFromLogic(parsed));
              emit(parsed);
            }}
          />
          {rawError ? <p className="tw-field__error">{rawError}</p> : null}
        </>
      )}
    </fieldset>
  );
}
