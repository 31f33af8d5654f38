import { useQuery } from '@tanstack/react-query';
import { createContext, useContext } from 'react';
import { useTRPC } from '../lib/trpc';

export interface Suggestions {
  events: { name: string; sample: Record<string, unknown> | null }[];
  properties: { event: string; path: string }[];
  traits: string[];
}

const empty: Suggestions = { events: [], properties: [], traits: [] };
const SuggestionsContext = createContext<Suggestions>(empty);
export const SuggestionsProvider = SuggestionsContext.Provider;
export const useSuggestions = () => useContext(SuggestionsContext);

/** Event names, property paths and traits this tenant has actually sent (from ingestion). */
export function useTenantSuggestions(): Suggestions {
  const trpc = useTRPC();
  const q = useQuery(trpc.catalog.suggestions.queryOptions());
  return q.data ?? empty;
}

/** Variables a condition can read: the event, the trigger event and profile traits. */
export function conditionFields(s: Suggestions, eventNames: string[]): { name: string; label: string }[] {
  const props = [
    ...new Set(s.properties.filter((p) => eventNames.length === 0 || eventNames.includes(p.event)).map((p) => p.path)),
  ];
  return [
    { name: 'event.name', label: 'event name' },
    { name: 'event.userId', label: 'user id' },
    ...props.map((p) => ({ name: `event.properties.${p}`, label: `event · ${p}` })),
    ...props.map((p) => ({ name: `trigger.properties.${p}`, label: `trigger · ${p}` })),
    ...s.traits.map((t) => ({ name: `user.${t}`, label: `user · ${t}` })),
  ];
}
