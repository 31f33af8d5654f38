import { useMutation, useQuery } from '@tanstack/react-query';
import type { PlanEvent, PlanMode, PlanProperty, TrackingPlan } from '@tripwire/rules';
import { PLAN_PROPERTY_TYPES } from '@tripwire/rules';
import { Alert, Button, Card, Loading, SelectField } from '@tripwire/ui';
import { useEffect, useState } from 'react';
import { can, useMe } from '../../lib/me';
import { errorMessage, useTRPC } from '../../lib/trpc';

export function meta() {
  return [{ title: 'Tracking plan · Tripwire' }];
}

const MODES: { value: PlanMode; label: string }[] = [
  { value: 'flag', label: 'Allow and flag in the event debugger' },
  { value: 'drop', label: 'Drop the offending property' },
  { value: 'reject', label: 'Reject the event' },
];

/** Allowed values as typed ("EUR, USD" or "1, 2"): numbers for number properties. */
function enumFromText(text: string, type: string): (string | number)[] | undefined {
  const parts = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (parts.length === 0) return undefined;
  return type === 'number' || type === 'integer' ? parts.map((p) => (Number.isNaN(Number(p)) ? p : Number(p))) : parts;
}

export default function TrackingPlanPage() {
  const me = useMe();
  const trpc = useTRPC();
  const editable = can(me, 'admin');
  const current = useQuery(trpc.trackingPlan.get.queryOptions());
  const [plan, setPlan] = useState<TrackingPlan | null>(null);
  const [enumText, setEnumText] = useState<Record<string, string>>({});
  const [schemaText, setSchemaText] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);
  const load = (p: TrackingPlan) => {
    setPlan(p);
    setEnumText(
      Object.fromEntries(
        p.events.flatMap((e, i) => e.properties.map((pr, j) => [`${i}.${j}`, (pr.enum ?? []).join(', ')])),
      ),
    );
  };
  useEffect(() => {
    if (current.data && plan === null) load(current.data.plan);
  }, [current.data, plan]);
  const save = useMutation(trpc.trackingPlan.save.mutationOptions({ onSuccess: (r) => load(r.plan) }));
  const importSchema = useMutation(
    trpc.trackingPlan.importSchema.mutationOptions({
      onSuccess: (r) => {
        load(r.plan);
        setSchemaText('');
      },
    }),
  );

  if (!plan) return <Loading />;
  const events = plan.events;
  const setEvents = (next: PlanEvent[]) => setPlan({ ...plan, events: next });
  const setEvent = (i: number, patch: Partial<PlanEvent>) =>
    setEvents(events.map((e, k) => (k === i ? { ...e, ...patch } : e)));
  const setProperty = (i: number, j: number, patch: Partial<PlanProperty>) =>
    setEvent(i, {
      properties: (events[i] as PlanEvent).properties.map((p, k) =>
        k === j ? ({ ...p, ...patch } as PlanProperty) : p,
      ),
    });
  const toSave = (): TrackingPlan => ({
    ...plan,
    events: events.map((e, i) => ({
      ...e,
      properties: e.properties.map((p, j) => {
        const values = enumFromText(enumText[`${i}.${j}`] ?? '', p.type);
        const { enum: _old, ...rest } = p;
        return values ? { ...rest, enum: values } : rest;
      }),
    })),
  });

  return (
    <>
      <h1>Tracking plan</h1>
      <p className="muted">
        Declare the events you send and their properties. Ingestion checks every declared event; the condition builder
        offers the declared types and values.
      </p>
      {save.isSuccess || importSchema.isSuccess ? <Alert tone="success">Tracking plan saved.</Alert> : null}
      {save.error ? <Alert>{errorMessage(save.error)}</Alert> : null}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(toSave());
        }}
      >
        <Card title="When an event breaks the plan">
          <SelectField
            label="Mode"
            value={plan.mode}
            disabled={!editable}
            options={MODES}
            onChange={(e) => setPlan({ ...plan, mode: e.target.value as PlanMode })}
          />
        </Card>
        {events.map((event, i) => (
          <Card key={i} title={event.name || `Event ${i + 1}`}>
            <div className="inline-form">
              <label>
                Event name{' '}
                <input
                  aria-label={`Event ${i + 1} name`}
                  value={event.name}
                  disabled={!editable}
                  onChange={(e) => setEvent(i, { name: e.target.value })}
                />
              </label>
              <label>
                <input
                  type="checkbox"
                  aria-label={`Event ${i + 1} allows other properties`}
                  checked={event.allowOtherProperties}
                  disabled={!editable}
                  onChange={(e) => setEvent(i, { allowOtherProperties: e.target.checked })}
                />{' '}
                Allow properties not listed here
              </label>
              {editable ? (
                <Button type="button" onClick={() => setEvents(events.filter((_, k) => k !== i))}>
                  Remove event
                </Button>
              ) : null}
            </div>
            <table>
              <thead>
                <tr>
                  <th>Property</th>
                  <th>Type</th>
                  <th>Required</th>
                  <th>Allowed values (comma-separated)</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {event.properties.map((p, j) => {
                  const label = `Event ${i + 1} property ${j + 1}`;
                  return (
                    <tr key={j}>
                      <td>
                        <input
                          aria-label={`${label} name`}
                          value={p.name}
                          disabled={!editable}
                          onChange={(e) => setProperty(i, j, { name: e.target.value })}
                        />
                      </td>
                      <td>
                        <select
                          aria-label={`${label} type`}
                          value={p.type}
                          disabled={!editable}
                          onChange={(e) => setProperty(i, j, { type: e.target.value as PlanProperty['type'] })}
                        >
                          {PLAN_PROPERTY_TYPES.map((t) => (
                            <option key={t} value={t}>
                              {t}
                            </option>
                          ))}
                        </select>
                      </td>
                      <td>
                        <input
                          type="checkbox"
                          aria-label={`${label} required`}
                          checked={p.required}
                          disabled={!editable}
                          onChange={(e) => setProperty(i, j, { required: e.target.checked })}
                        />
                      </td>
                      <td>
                        <input
                          aria-label={`${label} allowed values`}
                          value={enumText[`${i}.${j}`] ?? ''}
                          disabled={!editable || !['string', 'number', 'integer'].includes(p.type)}
                          onChange={(e) => setEnumText({ ...enumText, [`${i}.${j}`]: e.target.value })}
                        />
                      </td>
                      <td>
                        {editable ? (
                          <Button
                            type="button"
                            onClick={() => setEvent(i, { properties: event.properties.filter((_, k) => k !== j) })}
                          >
                            Remove
                          </Button>
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            {editable ? (
              <Button
                type="button"
                onClick={() =>
                  setEvent(i, { properties: [...event.properties, { name: '', type: 'string', required: false }] })
                }
              >
                Add property
              </Button>
            ) : null}
          </Card>
        ))}
        {editable ? (
          <div className="inline-form">
            <Button
              type="button"
              onClick={() => setEvents([...events, { name: '', properties: [], allowOtherProperties: true }])}
            >
              Add event
            </Button>
            <Button type="submit" busy={save.isPending}>
              Save tracking plan
            </Button>
          </div>
        ) : null}
      </form>
      <Card title="Import and export">
        <p className="muted">
          One schema per event under <code>$defs</code>: type, enum, required and additionalProperties.
        </p>
        {localError ? <Alert>{localError}</Alert> : null}
        {importSchema.error ? <Alert>{errorMessage(importSchema.error)}</Alert> : null}
        <textarea
          aria-label="Plan as JSON Schema"
          rows={12}
          style={{ width: '100%', fontFamily: 'monospace' }}
          value={schemaText}
          onChange={(e) => setSchemaText(e.target.value)}
        />
        <div className="inline-form">
          <Button
            type="button"
            onClick={() => {
              setLocalError(null);
              void current.refetch().then((r) => r.data && setSchemaText(JSON.stringify(r.data.schema, null, 2)));
            }}
          >
            Export saved plan
          </Button>
          {editable ? (
            <Button
              type="button"
              busy={importSchema.isPending}
              onClick={() => {
                setLocalError(null);
                let schema: unknown;
                try {
                  schema = JSON.parse(schemaText);
                } catch {
                  setLocalError('The text is not valid JSON.');
                  return;
                }
                importSchema.mutate({ mode: plan.mode, schema });
              }}
            >
              Import (replaces the events above)
            </Button>
          ) : null}
        </div>
      </Card>
    </>
  );
}
