import { isHeaderName, isSendableHeaderValue, RESERVED_WEBHOOK_HEADERS } from '@tripwire/rules';
import { PermanentError } from '../errors.ts';

/**
 * Turns a tenant's webhook config into what goes on the wire. Tenants choose URL, method, headers and
 * body; the platform owns signing, framing and identity, so those headers are not theirs to set.
 */

export type WebhookMethod = 'POST' | 'PUT' | 'PATCH';
export type WireMethod = WebhookMethod | 'GET';

/** Dropped on a redirect to another origin, as browsers do, so a tenant's token does not follow it. */
const CREDENTIAL_HEADERS = ['authorization', 'cookie'];

/**
 * Every body is JSON: objects as usual, and a string becomes a JSON string (`"hi"` with quotes), so the
 * receiver never has to guess. A missing body is `null`. A tenant wanting a different content-type may
 * set one; the bytes are still the JSON encoding.
 */
export function encodeBody(body: unknown): string {
  let encoded: string | undefined;
  try {
    encoded = JSON.stringify(body ?? null);
  } catch (error) {
    throw new PermanentError('webhook.invalid_body', 'the webhook body cannot be encoded as JSON', { cause: error });
  }
  // JSON.stringify returns undefined for a function or symbol.
  if (encoded === undefined) throw new PermanentError('webhook.invalid_body', 'the webhook body is not JSON data');
  return encoded;
}

/** Lower-cased tenant headers without the reserved ones; refuses names or values that would break framing. */
export function tenantHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [rawName, value] of Object.entries(headers)) {
    const name = rawName.toLowerCase();
    if (!isHeaderName(rawName) || typeof value !== 'string' || !isSendableHeaderValue(value)) {
      throw new PermanentError('webhook.invalid_header', `header ${JSON.stringify(rawName).slice(0, 80)} is not valid`);
    }
    if (!RESERVED_WEBHOOK_HEADERS.has(name)) result[name] = value;
  }
  return result;
}

export interface Hop {
  url: URL;
  method: WireMethod;
  body: string | undefined;
  headers: Record<string, string>;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** The next hop for a redirect answer, following the fetch spec's method rules; undefined if not a redirect. */
export function redirectHop(hop: Hop, status: number, location: string | undefined): Hop | undefined {
  if (!REDIRECTS.has(status) || !location) return undefined;
  let url: URL;
  try {
    url = new URL(location, hop.url);
  } catch {
    throw new PermanentError('webhook.invalid_redirect', 'the receiver redirected to an invalid URL', { status });
  }
  const headers = { ...hop.headers };
  if (url.origin !== hop.url.origin) for (const name of CREDENTIAL_HEADERS) delete headers[name];
  const toGet = status === 303 || ((status === 301 || status === 302) && hop.method === 'POST');
  if (!toGet) return { ...hop, url, headers };
  delete headers['content-type'];
  return { url, method: 'GET', body: undefined, headers };
}
