import { parseDuration } from './duration.ts';

// The duration picker shows "10 minutes", not "PT10M"; the document keeps ISO-8601. Converting
// through milliseconds means "P1DT2H" shows as 26 hours and saves back as "PT26H": the same
// length, one unit, which is all the picker can show.

export const HUMAN_DURATION_UNITS = ['seconds', 'minutes', 'hours', 'days', 'weeks'] as const;
export type HumanDurationUnit = (typeof HUMAN_DURATION_UNITS)[number];

export interface HumanDuration {
  value: number;
  unit: HumanDurationUnit;
}

const UNIT_MS: Record<HumanDurationUnit, number> = {
  seconds: 1000,
  minutes: 60_000,
  hours: 3_600_000,
  days: 86_400_000,
  weeks: 604_800_000,
};

/** A duration that is invalid, ambiguous (months, years) or outside (0, 90 days]. */
export class DurationError extends RangeError {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'DurationError';
    this.code = code;
  }
}

/** In the largest unit that divides it exactly; below a second, fractional seconds. */
export function toHumanDuration(iso: string): HumanDuration {
  const parsed = parseDuration(iso);
  if (!parsed.ok) throw new DurationError(parsed.code, parsed.message);
  for (const unit of [...HUMAN_DURATION_UNITS].reverse()) {
    if (parsed.ms % UNIT_MS[unit] === 0) return { value: parsed.ms / UNIT_MS[unit], unit };
  }
  return { value: parsed.ms / 1000, unit: 'seconds' };
}

const ISO: Record<HumanDurationUnit, (value: string) => string> = {
  seconds: (v) => `PT${v}S`,
  minutes: (v) => `PT${v}M`,
  hours: (v) => `PT${v}H`,
  days: (v) => `P${v}D`,
  weeks: (v) => `P${v}W`,
};

export function fromHumanDuration({ value, unit }: HumanDuration): string {
  if (!Object.hasOwn(ISO, unit)) throw new DurationError('duration.invalid', `Unknown unit ${String(unit)}`);
  // ISO-8601 as we parse it allows fractions only on seconds, to the millisecond; the text
  // check also refuses negatives, NaN and exponent forms such as 1e+21.
  const text = String(value);
  if (typeof value !== 'number' || !(unit === 'seconds' ? /^\d+(?:\.\d{1,3})?$/ : /^\d+$/).test(text)) {
    const what = unit === 'seconds' ? 'a number of seconds with at most 3 decimals' : `a whole number of ${unit}`;
    throw new DurationError('duration.invalid', `Expected ${what}`);
  }
  const iso = ISO[unit](text);
  const parsed = parseDuration(iso);
  if (!parsed.ok) throw new DurationError(parsed.code, parsed.message);
  return iso;
}

/** "10 minutes", "1 hour"; what the canvas and traces say. Anything that is not a duration: "?". */
export function describeDuration(iso: unknown): string {
  if (typeof iso !== 'string') return '?';
  try {
    const { value, unit } = toHumanDuration(iso);
    return `${value} ${value === 1 ? unit.slice(0, -1) : unit}`;
  } catch {
    return '?';
  }
}
