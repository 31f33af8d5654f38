import type { AnyNodeType } from '../registry.ts';

export const REDACTED = '[redacted]';

function redactValue(value: unknown): unknown {
  if (value === undefined || value === null) return value;
  // A map such as HTTP headers keeps its names: which headers were sent is not the secret.
  if (typeof value === 'object' && !Array.isArray(value)) {
    return Object.fromEntries(Object.keys(value).map((k) => [k, REDACTED]));
  }
  return REDACTED;
}

/** A copy of `config` with the definition's secret fields redacted (traces, dead letters, exports). */
export function redactConfig(def: Pick<AnyNodeType, 'secrets'>, config: Record<string, unknown>) {
  if (def.secrets.length === 0) return config;
  const copy = { ...config };
  for (const field of def.secrets) if (Object.hasOwn(copy, field)) copy[field] = redactValue(copy[field]);
  return copy;
}
