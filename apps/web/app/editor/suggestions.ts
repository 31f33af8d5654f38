import { useQuery } from '@tanstack/react-query';
import { describeVariable, type PlanEvent, type PlanPropertyType, type ValueKind, valueKind } from '@tripwire/rules';
import { createContext, useContext } from 'react';
import { useTRPC } from '../lib/trpc';
import type { FieldOption } from './condition-rows';

export interface Suggestions {
  events: { name: string; sample: Record<string, unknown> | null }[];
  properties: { event: string; path: string }[];
  traits: string[];
  /** The workspace's tracking plan: declared types and allowed values win over what was seen. */
  plan?: PlanEvent[];
}

const empty: Suggestions = { events: [], properties: [], traits: [] };
const SuggestionsContext = createContext<Suggestions>(empty);
export const SuggestionsProvider = SuggestionsContext.Provider;
export const useSuggestions = () => useContext(SuggestionsContext);

/**
 * Event names, property paths and traits this tenant has actually sent (from ingestion), and the
 * events its tracking plan declares.
 */
export function useTenantSuggestions(): Suggestions {
  const trpc = useTRPC();
  const q = useQuery(trpc.catalog.suggestions.queryOptions());
  const plan = useQuery(trpc.trackingPlan.get.queryOptions());
  const seen = q.data ?? empty;
  if (!plan.data || plan.data.plan.events.length === 0) return seen;
  const declared = plan.data.plan.events;
  const seenNames = new Set(seen.events.map((e) => e.name));
  return {
    ...seen,
    // Declared events are offered as triggers even before any was sent.
    events: [
      ...seen.events,
      ...declared.filter((e) => !seenNames.has(e.name)).map((e) => ({ name: e.name, sample: null })),
    ],
    plan: declared,
  };
}

const KIND_OF_TYPE: Partial<Record<PlanPropertyType, ValueKind>> = {
  string: 'string',
  number: 'number',
  integer: 'number',
  boolean: 'boolean',
};

function sampleKind(s: Suggestions, event: string, path: string): ValueKind | undefined {
  const sample = s.events.find((e) => e.name === event)?.sample as { properties?: unknown } | null | undefined;
  let value: unknown = sample?.properties;
  for (const part of path.split('.')) value = (value as Record<string, unknown> | undefined)?.[part];
  return value === undefined || value === null || typeof value === 'object' ? undefined : valueKind(value);
}

/**
 * Variables a condition can read: the event, the trigger event and profile traits, with the type
 * of value seen in the latest sample. Typing any other path works too; these are suggestions.
 */
export function conditionFields(s: Suggestions, eventNames: string[]): FieldOption[] {
  const props = new Map<string, ValueKind | undefined>();
  const choices = new Map<string, (string | number)[]>();
  // The tracking plan first: a declared type decides the operators, an enum the offered values.
  for (const e of s.plan ?? []) {
    if (eventNames.length > 0 && !eventNames.includes(e.name)) continue;
    for (const p of e.properties) {
      if (!props.has(p.name)) props.set(p.name, KIND_OF_TYPE[p.type]);
      if (p.enum && !choices.has(p.name)) choices.set(p.name, p.enum);
    }
  }
  for (const p of s.properties) {
    if (eventNames.length > 0 && !eventNames.includes(p.event)) continue;
    props.set(p.path, props.get(p.path) ?? sampleKind(s, p.event, p.path));
  }
  const withKind = (name: string, kind: ValueKind | undefined, values?: (string | number)[]): FieldOption => ({
    name,
    label: describeVariable(name),
    ...(kind ? { kind } : {}),
    ...(values ? { choices: values } : {}),
  });
  return [
    ...[...props].map(([p, kind]) => withKind(`event.properties.${p}`, kind, choices.get(p))),
    withKind('event.name', 'string'),
    withKind('event.userId', 'string'),
    withKind('event.timestamp', 'date'),
    ...[...props].map(([p, kind]) => withKind(`trigger.properties.${p}`, kind, choices.get(p))),
    ...s.traits.map((t) => withKind(`user.${t}`, undefined)),
  ];
}

/**
 * The fields of what look-ups answered in the latest test run (`lookup.<node id>.plan`), for the
 * nodes that still exist: a look-up's answer has no declared shape until it has answered once.
 */
export function lookupFields(samples: Record<string, unknown>, nodeIds: ReadonlySet<string>): FieldOption[] {
  const out: FieldOption[] = [];
  const visit = (path: string, value: unknown, depth: number) => {
    if (out.length >= 50) return;
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && depth < 3) {
      for (const [key, item] of Object.entries(value)) visit(`${path}.${key}`, item, depth + 1);
      return;
    }
    const kind = value === null || typeof value === 'object' ? undefined : valueKind(value);
    out.push({ name: path, label: describeVariable(path), ...(kind ? { kind } : {}) });
  };
  for (const [id, value] of Object.entries(samples)) if (nodeIds.has(id)) visit(`lookup.${id}`, value, 0);
  return out;
}

/** What a template may insert: the same variables, as {{ placeholders }}. */
export function templatePlaceholders(fields: FieldOption[]): { path: string; label: string }[] {
  const base = [
    { path: 'event.userId', label: 'user id' },
    { path: 'event.name', label: 'event name' },
    { path: 'event.timestamp', label: 'event time' },
  ];
  const seen = new Set(base.map((b) => b.path));
  return [
    ...base,
    ...fields.filter((f) => !seen.has(f.name)).map((f) => ({ path: f.name, label: `${f.label} (${f.name})` })),
  ];
}
