import { type Dispatcher, request } from 'undici';
import type { AddressPolicy, Refusal } from './address-policy.ts';
import { AddressRefusedError, createPinnedDispatcher } from './pinned-dispatcher.ts';

/**
 * One GET for JSON on a tenant's behalf (the "Look up" node, in the engine and in the editor's test
 * run): the same address guard as webhooks (every connection pinned to a vetted address), one
 * deadline for DNS, connect and body, a bounded answer, and no redirects (a look-up URL that moved
 * is the tenant's to fix, and following one would carry the secret headers along). Every outcome is
 * a value; nothing here throws, and no message quotes a header (they may be credentials).
 */

export type JsonLookupFailure =
  | 'timeout'
  | 'status'
  | 'not_json'
  | 'too_large'
  | 'refused'
  | 'network'
  | 'invalid_url'
  | 'invalid_request';

export type JsonLookupResult =
  | { ok: true; status: number; value: unknown; durationMs: number }
  | { ok: false; reason: JsonLookupFailure; message: string; status?: number; durationMs?: number };

export interface JsonLookupOptions {
  policy: AddressPolicy;
  userAgent: string;
  /** The largest answer read; a longer one is an error (not cut: half a JSON document is none). */
  maxBytes: number;
}

export interface JsonGet {
  url: string;
  headers: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
}

const REFUSAL_REASON: Record<Refusal, JsonLookupFailure> = {
  invalid_url: 'invalid_url',
  unsupported_scheme: 'invalid_url',
  credentials_in_url: 'invalid_url',
  refused_address: 'refused',
  dns_failure: 'network',
};

function refused(reason: Refusal, message: string): JsonLookupResult {
  const failure = REFUSAL_REASON[reason];
  const text =
    failure === 'refused'
      ? `look-ups only reach public addresses (${message})`
      : failure === 'network'
        ? message
        : `the URL is not usable: ${message}`;
  return { ok: false, reason: failure, message: text };
}

export function createJsonLookup({ policy, userAgent, maxBytes }: JsonLookupOptions) {
  const dispatcher = createPinnedDispatcher(policy);

  async function get(input: JsonGet): Promise<JsonLookupResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), input.timeoutMs);
    timer.unref();
    const signal = input.signal ? AbortSignal.any([controller.signal, input.signal]) : controller.signal;
    let host = 'the API';
    try {
      const check = await Promise.race([
        policy.checkUrl(input.url),
        new Promise<never>((_, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason), { once: true }),
        ),
      ]);
      if (!check.ok) return refused(check.reason, check.message);
      host = check.url.host;
      const headers = { accept: 'application/json', ...lowerCased(input.headers), 'user-agent': userAgent };
      const response = await request(check.url, { method: 'GET', headers, signal, dispatcher });
      const status = response.statusCode;
      if (status < 200 || status > 299) {
        await discard(response.body);
        const moved = status >= 300 && status < 400 ? ' (redirects are not followed; use the final URL)' : '';
        return {
          ok: false,
          reason: 'status',
          status,
          message: `${host} answered ${status}${moved}`,
          durationMs: elapsed(),
        };
      }
      const body = await readAtMost(response.body, maxBytes);
      if (body === undefined) {
        return {
          ok: false,
          reason: 'too_large',
          status,
          message: `the answer is over ${Math.round(maxBytes / 1024)} KB`,
          durationMs: elapsed(),
        };
      }
      try {
        return { ok: true, status, value: JSON.parse(body.toString('utf8')), durationMs: elapsed() };
      } catch {
        return { ok: false, reason: 'not_json', status, message: 'the answer is not JSON', durationMs: elapsed() };
      }
    } catch (error) {
      if (controller.signal.aborted)
        return {
          ok: false,
          reason: 'timeout',
          message: `no answer within ${input.timeoutMs} ms`,
          durationMs: elapsed(),
        };
      const refusal = refusalOf(error);
      if (refusal) return { ...refused(refusal.reason, refusal.message), durationMs: elapsed() };
      const code = (error as { code?: unknown } | undefined)?.code;
      if (code === 'UND_ERR_INVALID_ARG') {
        // Never the library's text: it may quote the header value, which may be a credential.
        return {
          ok: false,
          reason: 'invalid_request',
          message: 'a header value cannot be sent (line breaks or characters beyond Latin-1)',
          durationMs: elapsed(),
        };
      }
      const why = typeof code === 'string' ? code : 'connection failed';
      return { ok: false, reason: 'network', message: `could not reach ${host} (${why})`, durationMs: elapsed() };
    } finally {
      clearTimeout(timer);
    }
  }

  return { get, close: () => dispatcher.close() };
}

export type JsonLookup = ReturnType<typeof createJsonLookup>;

function lowerCased(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

function refusalOf(error: unknown): AddressRefusedError | undefined {
  for (let e = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof AddressRefusedError) return e;
  }
  return undefined;
}

async function discard(body: Dispatcher.ResponseData['body']) {
  try {
    await body.dump({ limit: 64 * 1024 });
  } catch {
    // The status decided already.
  }
}

/** The body, or undefined when it is longer than `max` (the rest is never downloaded). */
async function readAtMost(body: Dispatcher.ResponseData['body'], max: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) {
      body.on('error', () => {});
      body.destroy();
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
