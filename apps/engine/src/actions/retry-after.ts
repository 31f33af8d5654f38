/** A receiver may not keep a job parked longer than this; beyond it the queue's own backoff takes over. */
export const MAX_RETRY_AFTER_MS = 60 * 60 * 1000;

/**
 * Reads an HTTP Retry-After header (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. Returns milliseconds
 * to wait, capped at an hour, or undefined when the header is missing or unreadable.
 */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, MAX_RETRY_AFTER_MS);
  // Date.parse reads almost anything ('1.5' is a date in 2001); all three HTTP-date forms carry a month name and a time.
  if (!/[a-z]{3}.*\d{2}:\d{2}:\d{2}/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.min(Math.max(0, at - now), MAX_RETRY_AFTER_MS);
}
