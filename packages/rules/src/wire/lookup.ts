// The look-up contract: what a "Look up" node asks for and what it gets back. The node's step builds
// the request; whoever runs the walk answers it — the engine (HTTP with the address guard and a
// per-user cache), the web app for the editor's test run (HTTP with the same guard), or nobody in
// replays. The limits are written once here.
import { isHeaderName, isSendableHeaderValue } from '../wire.ts';
import { cleanTextValues, describeTextIssue, findTextIssue } from './text-policy.ts';

/** The JSON a look-up may answer with; a longer answer is an error, not truncated. */
export const LOOKUP_MAX_RESPONSE_BYTES = 64 * 1024;
export const LOOKUP_DEFAULT_TIMEOUT_MS = 2000;
export const LOOKUP_MIN_TIMEOUT_MS = 100;
/** A look-up holds up its user's events while it waits, so it never waits long. */
export const LOOKUP_MAX_TIMEOUT_MS = 10_000;
/** The longest a look-up's answer is kept for a user. */
export const LOOKUP_MAX_CACHE_MS = 7 * 24 * 3600 * 1000;

/** A rendered request's bounds: placeholders are filled from events, so an event decides its size. */
export const LOOKUP_MAX_URL_LENGTH = 8000;
export const LOOKUP_MAX_HEADERS = 50;
export const LOOKUP_MAX_HEADER_VALUE_LENGTH = 4000;
/** HTTP calls one walk may make (cached answers do not count): bounds how long a run holds its partition. */
export const LOOKUP_MAX_CALLS_PER_WALK = 5;

/**
 * What is wrong with a rendered request before it is sent (the step checks it, so the engine and the
 * test run refuse the same ones), or undefined. Never quotes a header value: it may be a credential.
 */
export function lookupRequestProblem(request: Pick<LookupRequest, 'url' | 'headers'>): string | undefined {
  if (request.url.length > LOOKUP_MAX_URL_LENGTH)
    return `the URL is ${request.url.length} characters once filled in; at most ${LOOKUP_MAX_URL_LENGTH} can be sent`;
  const headers = Object.entries(request.headers);
  if (headers.length > LOOKUP_MAX_HEADERS) return `at most ${LOOKUP_MAX_HEADERS} headers can be sent`;
  for (const [name, value] of headers) {
    if (!isHeaderName(name)) return `${name.slice(0, 100)} is not a header name HTTP allows`;
    if (value.length > LOOKUP_MAX_HEADER_VALUE_LENGTH)
      return `the ${name} header is ${value.length} characters once filled in; at most ${LOOKUP_MAX_HEADER_VALUE_LENGTH} can be sent`;
    if (!isSendableHeaderValue(value))
      return `the ${name} header cannot be sent (line breaks or characters beyond Latin-1)`;
  }
  return undefined;
}

export interface LookupRequest {
  /** GET this absolute http(s) URL (placeholders already rendered and URL-encoded). */
  url: string;
  /** Every header to send, secret ones included: a request never leaves the process that sends it. */
  headers: Record<string, string>;
  timeoutMs: number;
  /** How long an answer may be reused for this user (ms); 0: never cached. */
  cacheForMs: number;
}

export const LOOKUP_FAILURES = [
  'timeout',
  'status',
  'not_json',
  'too_large',
  'refused',
  'network',
  'invalid_url',
  'invalid_request',
] as const;
export type LookupFailure = (typeof LOOKUP_FAILURES)[number];

export type LookupAnswer =
  | { ok: true; status: number; value: unknown; durationMs: number; cached: boolean }
  | { ok: false; reason: LookupFailure; message: string; status?: number; durationMs?: number };

/**
 * An answer as it may be kept (with the run, in the cache): strings with a NUL or a broken
 * character cleaned as ingestion's text policy would; a key with one is not JSON anyone can use.
 */
export function storableAnswer(answer: LookupAnswer): LookupAnswer {
  if (!answer.ok) return answer;
  const value = cleanTextValues(answer.value);
  const issue = findTextIssue(value);
  if (!issue) return value === answer.value ? answer : { ...answer, value };
  const { status, durationMs } = answer;
  return {
    ok: false,
    reason: 'not_json',
    status,
    durationMs,
    message: `the answer cannot be kept: ${describeTextIssue(issue)}`,
  };
}
