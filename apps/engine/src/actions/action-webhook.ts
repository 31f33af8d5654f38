import { type AddressPolicy, createPinnedDispatcher, secretKey, signWebhook } from '@tripwire/platform';
import { type Dispatcher, request } from 'undici';
import { PermanentError } from '../errors.ts';
import { refusalError, statusError, transportError } from './webhook-errors.ts';
import { encodeBody, type Hop, redirectHop, tenantHeaders, type WebhookMethod } from './webhook-request.ts';

/**
 * The webhook action: one signed JSON request to a tenant's URL, with the answer classified for pg-boss
 * (success, retry, or dead letter). Every outcome other than success is a RetriableError or PermanentError.
 */

export const MAX_REDIRECTS = 3;
/** Enough of the answer for a run record to show what the receiver said; the rest is discarded unread. */
export const SNIPPET_BYTES = 2048;

export interface WebhookRequest {
  url: string;
  method: WebhookMethod;
  headers: Record<string, string>;
  body: unknown;
}

export interface WebhookContext {
  /** Stable per delivery, the same on every retry, so receivers can drop duplicates. */
  webhookId: string;
  /** Active `whsec_` secrets; two during a rotation, and each signs. */
  secrets: readonly string[];
  signal?: AbortSignal;
}

export interface WebhookResult {
  status: number;
  durationMs: number;
  responseSnippet: string;
}

export interface WebhookExecutorOptions {
  policy: AddressPolicy;
  /** Covers the whole delivery: DNS, connect, every redirect hop and reading the snippet. */
  timeoutMs?: number;
  userAgent: string;
}

export function createWebhookExecutor({ policy, timeoutMs = 15_000, userAgent }: WebhookExecutorOptions) {
  const dispatcher = createPinnedDispatcher(policy, refusalError);

  async function vet(url: string | URL, signal: AbortSignal): Promise<URL> {
    const check = await untilAborted(policy.checkUrl(url), signal);
    if (!check.ok) throw refusalError(check.reason, check.message);
    return check.url;
  }

  function send(hop: Hop, ctx: WebhookContext, signal: AbortSignal) {
    // Re-signed per hop: the timestamp is "now", and after a 303 the body (now empty) changes too.
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = signWebhook({ id: ctx.webhookId, timestamp, body: hop.body ?? '', secrets: ctx.secrets });
    const headers = { ...hop.headers, 'user-agent': userAgent, ...signature };
    return request(hop.url, { method: hop.method, headers, body: hop.body, signal, dispatcher });
  }

  async function execute(input: WebhookRequest, ctx: WebhookContext): Promise<WebhookResult> {
    checkSecrets(ctx.secrets);
    const body = encodeBody(input.body);
    const headers = { 'content-type': 'application/json', ...tenantHeaders(input.headers) };
    const timeout = deadline(timeoutMs);
    const signal = ctx.signal ? AbortSignal.any([timeout.signal, ctx.signal]) : timeout.signal;
    const started = performance.now();
    let host = hostOf(input.url);
    try {
      let hop: Hop = { url: await vet(input.url, signal), method: input.method, body, headers };
      for (let redirects = 0; ; redirects += 1) {
        host = hop.url.host;
        const response = await send(hop, ctx, signal);
        const next = settle(response.body, () =>
          redirectHop(hop, response.statusCode, single(response.headers.location)),
        );
        if (next) {
          await response.body.dump();
          if (redirects === MAX_REDIRECTS) {
            throw new PermanentError('webhook.too_many_redirects', `more than ${MAX_REDIRECTS} redirects`, {
              status: response.statusCode,
            });
          }
          hop = { ...next, url: await vet(next.url, signal) };
          continue;
        }
        const responseSnippet = await readSnippet(response.body);
        const durationMs = Math.round(performance.now() - started);
        const status = response.statusCode;
        const failure = statusError({
          status,
          retryAfter: single(response.headers['retry-after']),
          responseSnippet,
          durationMs,
        });
        if (failure) throw failure;
        return { status, durationMs, responseSnippet };
      }
    } catch (error) {
      throw transportError(error, {
        host,
        timeoutMs,
        timedOut: timeout.signal.aborted,
        cancelled: !!ctx.signal?.aborted,
      });
    } finally {
      timeout.clear();
    }
  }

  return { execute, close: () => dispatcher.close() };
}

export type WebhookExecutor = ReturnType<typeof createWebhookExecutor>;

/**
 * AbortSignal.timeout, but cleared when the delivery is over: the built-in keeps its timer and
 * signal alive for the whole timeout, which at a few thousand deliveries a second is tens of
 * thousands of live timers for nothing.
 */
function deadline(ms: number) {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
    ms,
  );
  timer.unref();
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}

function checkSecrets(secrets: readonly string[]): void {
  if (secrets.length === 0) throw new PermanentError('webhook.no_secret', 'the webhook has no signing secret');
  for (const secret of secrets) {
    try {
      secretKey(secret);
    } catch {
      throw new PermanentError('webhook.invalid_secret', 'a signing secret of this webhook is malformed');
    }
  }
}

/** Reads up to SNIPPET_BYTES; leaving the loop early destroys the stream, so the rest is never downloaded. */
async function readSnippet(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= SNIPPET_BYTES) break;
    }
  } catch {
    // A body cut short (timeout, reset) after the status line arrived: the status already decided the outcome.
  }
  return Buffer.concat(chunks).subarray(0, SNIPPET_BYTES).toString('utf8');
}

/** Runs `decide`, releasing the connection behind `body` if it throws (nothing else would read it). */
function settle<T>(body: Dispatcher.ResponseData['body'], decide: () => T): T {
  try {
    return decide();
  } catch (error) {
    // Destroying an unread undici body emits an AbortError; nobody else listens, so swallow it here.
    body.on('error', () => {});
    body.destroy();
    throw error;
  }
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function hostOf(url: string): string {
  return URL.canParse(url) ? new URL(url).host : 'an invalid URL';
}
