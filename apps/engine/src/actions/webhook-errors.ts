import type { Refusal } from '@tripwire/platform';
import { type EngineError, isExpectedError, PermanentError, RetriableError } from '../errors.ts';
import { parseRetryAfter } from './retry-after.ts';

/**
 * What each webhook outcome means for the job. Messages name the host at most: a tenant's URL path or
 * query often is a credential itself (chat-app incoming webhooks), and signatures never appear at all.
 */

export function refusalError(reason: Refusal, message: string): EngineError {
  // DNS can be briefly broken; everything else about a URL stays wrong until the tenant edits it.
  if (reason === 'dns_failure') return new RetriableError('webhook.dns_failure', message);
  return new PermanentError(`webhook.${reason}`, message);
}

export interface StatusContext {
  status: number;
  retryAfter: string | undefined;
  responseSnippet: string;
  durationMs: number;
}

/** Undefined for 2xx; otherwise the error to throw for the receiver's answer. */
export function statusError({
  status,
  retryAfter,
  responseSnippet,
  durationMs,
}: StatusContext): EngineError | undefined {
  if (status >= 200 && status < 300) return undefined;
  const options = { status, details: { responseSnippet, durationMs } };
  if (status === 429 || status === 503) {
    const retryAfterMs = parseRetryAfter(retryAfter);
    const code = status === 429 ? 'webhook.rate_limited' : 'webhook.server_error';
    return new RetriableError(code, `the receiver answered ${status}`, { ...options, retryAfterMs });
  }
  if (status >= 500 || status === 408) {
    return new RetriableError('webhook.server_error', `the receiver answered ${status}`, options);
  }
  if (status >= 400) return new PermanentError('webhook.client_error', `the receiver answered ${status}`, options);
  // A 3xx we did not follow (no Location, 304, too many hops is handled by the caller) or an odd 1xx.
  return new PermanentError('webhook.unexpected_status', `the receiver answered ${status}`, options);
}

export interface TransportContext {
  host: string;
  timedOut: boolean;
  cancelled: boolean;
  timeoutMs: number;
}

/** Maps what undici or the socket threw; errors we raised ourselves (e.g. in the connect hook) pass through. */
export function transportError(
  error: unknown,
  { host, timedOut, cancelled, timeoutMs }: TransportContext,
): EngineError {
  if (isExpectedError(error)) return error;
  if (timedOut) return new RetriableError('webhook.timeout', `no complete answer from ${host} within ${timeoutMs} ms`);
  // The caller gave up (shutdown, job deadline); the delivery did not fail, so let the queue try again.
  if (cancelled) return new RetriableError('webhook.aborted', `request to ${host} was cancelled`, { cause: error });
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === 'UND_ERR_INVALID_ARG') {
    // No cause: undici's argument errors may quote the offending header, which can be a tenant's token.
    return new PermanentError('webhook.invalid_request', `the request to ${host} is not valid`);
  }
  const reason = typeof code === 'string' ? code : 'connection failed';
  return new RetriableError('webhook.network_error', `request to ${host} failed: ${reason}`, { cause: error });
}
