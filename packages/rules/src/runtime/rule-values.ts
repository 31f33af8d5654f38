import { truthy } from '../logic/runtime.ts';
import type { RuleData, RuntimeRule } from './types.ts';

/** Traces keep what a rule read, not whole payloads: at most this many paths… */
const MAX_PATHS = 20;
/** …each value cut to about this much JSON. */
const MAX_VALUE_CHARS = 200;

// Paths come from compiled rules, so there are few: split once each (bounded, in case of churn).
const SEGMENTS_CACHED = 10_000;
const segmentsOf = new Map<string, readonly string[]>();
function segments(path: string): readonly string[] {
  let found = segmentsOf.get(path);
  if (found === undefined) {
    found = path.split('.');
    if (segmentsOf.size < SEGMENTS_CACHED) segmentsOf.set(path, found);
  }
  return found;
}

function lookup(data: unknown, path: string): unknown {
  let current = data;
  for (const segment of segments(path)) {
    // Own properties only, like the rules themselves.
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, segment)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

function shorten(value: unknown): unknown {
  if (value === undefined || value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string') return value.length > MAX_VALUE_CHARS ? `${value.slice(0, MAX_VALUE_CHARS)}…` : value;
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    return '[unreadable]';
  }
  if (json === undefined) return String(value);
  return json.length > MAX_VALUE_CHARS ? `${json.slice(0, MAX_VALUE_CHARS)}…` : value;
}

/** The values a rule read from the context, keyed by path ("event.properties.total": 42). */
export function valuesRead(rule: RuntimeRule, data: RuleData): Record<string, unknown> {
  const read: Record<string, unknown> = {};
  for (const path of rule.paths.slice(0, MAX_PATHS)) {
    try {
      // defineProperty: a path such as "__proto__" stays a plain key.
      Object.defineProperty(read, path, { value: shorten(lookup(data, path)), enumerable: true, writable: true });
    } catch {
      // A getter that throws is what the rule would have met too; the trace just leaves it out.
    }
  }
  return read;
}

/** Runs a rule for a step: its truthiness and what it read. Throws what the rule throws. */
export function evaluateRule(rule: RuntimeRule, data: RuleData): { result: boolean; read: Record<string, unknown> } {
  const result = truthy(rule.run(data));
  return { result, read: valuesRead(rule, data) };
}
