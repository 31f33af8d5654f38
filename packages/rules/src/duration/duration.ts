// ISO-8601 durations as used in node configs ("PT10M", "P1D", "P2W", "P1DT2H"). Years and months
// have no fixed length, so they are rejected rather than guessed; the engine schedules in ms.

export const MAX_DURATION_MS = 90 * 24 * 60 * 60 * 1000;

export type DurationResult =
  | { ok: true; ms: number }
  | { ok: false; code: 'duration.invalid' | 'duration.ambiguous' | 'duration.out_of_range'; message: string };

const PATTERN =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d{1,3})?)S)?)?$/;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export function parseDuration(text: unknown): DurationResult {
  if (typeof text !== 'string' || text.length > 40) {
    return { ok: false, code: 'duration.invalid', message: 'Expected an ISO-8601 duration such as PT10M or P1D' };
  }
  const m = PATTERN.exec(text);
  // "P" and "PT" alone match the pattern but name no amount.
  if (!m || text === 'P' || text.endsWith('T')) {
    return {
      ok: false,
      code: 'duration.invalid',
      message: `${JSON.stringify(text)} is not an ISO-8601 duration (e.g. PT10M, P1D, P1DT2H)`,
    };
  }
  const [, years, months, weeks, days, hours, minutes, seconds] = m;
  if (years !== undefined || months !== undefined) {
    return {
      ok: false,
      code: 'duration.ambiguous',
      message: 'Years and months have no fixed length; use weeks or days (e.g. P30D)',
    };
  }
  const n = (v: string | undefined): number => (v === undefined ? 0 : Number(v.replace(',', '.')));
  const ms = Math.round(
    n(weeks) * 7 * DAY + n(days) * DAY + n(hours) * HOUR + n(minutes) * MINUTE + n(seconds) * SECOND,
  );
  if (ms <= 0 || ms > MAX_DURATION_MS) {
    return { ok: false, code: 'duration.out_of_range', message: 'Duration must be more than 0 and at most 90 days' };
  }
  return { ok: true, ms };
}

/** For already validated configs (compiler, engine): the duration in milliseconds. */
export function durationMs(text: string): number {
  const result = parseDuration(text);
  if (!result.ok) throw new Error(result.message);
  return result.ms;
}
