import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): receivers can verify our requests with
 * any of the spec's libraries. Signed content is `${id}.${timestamp}.${body}`, HMAC-SHA256 keyed with the
 * base64 part of a `whsec_` secret. The signature header lists one `v1,<base64>` per secret so that a
 * secret can be rotated without a gap: old and new both sign until the old one expires.
 */

const SECRET_PREFIX = 'whsec_';
const VERSION = 'v1';

// A type alias rather than an interface so it can be passed wherever a plain header record is expected.
export type WebhookHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

export interface SignWebhookInput {
  id: string;
  /** Unix time in whole seconds. */
  timestamp: number;
  /** The exact bytes sent: sign after serialising, never before. */
  body: string | Uint8Array;
  secrets: readonly string[];
}

export function signWebhook({ id, timestamp, body, secrets }: SignWebhookInput): WebhookHeaders {
  if (secrets.length === 0) throw new TypeError('signWebhook needs at least one secret');
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new TypeError('timestamp must be whole seconds');
  const signatures = secrets.map(
    (secret) => `${VERSION},${sign(secretKey(secret), id, timestamp, body).toString('base64')}`,
  );
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signatures.join(' ') };
}

export type HeaderSource = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

export interface VerifyWebhookInput {
  headers: HeaderSource;
  body: string | Uint8Array;
  secret: string;
  /** How far the timestamp may be from `now`, either way; the spec's libraries use 5 minutes. */
  toleranceSeconds?: number;
  now?: Date;
}

export type VerifyFailure = 'missing_headers' | 'invalid_timestamp' | 'stale_timestamp' | 'no_matching_signature';
export type VerifyResult = { ok: true } | { ok: false; reason: VerifyFailure };

export function verifyWebhook({
  headers,
  body,
  secret,
  toleranceSeconds = 300,
  now = new Date(),
}: VerifyWebhookInput): VerifyResult {
  const id = header(headers, 'webhook-id');
  const timestampText = header(headers, 'webhook-timestamp');
  const signatureList = header(headers, 'webhook-signature');
  if (!id || !timestampText || !signatureList) return { ok: false, reason: 'missing_headers' };

  if (!/^\d{1,15}$/.test(timestampText)) return { ok: false, reason: 'invalid_timestamp' };
  const timestamp = Number(timestampText);
  // A replayed request keeps its old timestamp; refusing it outside the window bounds the replay.
  if (Math.abs(now.getTime() / 1000 - timestamp) > toleranceSeconds) return { ok: false, reason: 'stale_timestamp' };

  const expected = sign(secretKey(secret), id, timestamp, body);
  for (const entry of signatureList.split(' ')) {
    const [version, encoded] = entry.split(',', 2);
    if (version !== VERSION || !encoded) continue;
    const candidate = Buffer.from(encoded, 'base64');
    // Lengths are public (a SHA-256 digest is 32 bytes); only the comparison of equal lengths must be constant-time.
    if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) return { ok: true };
  }
  return { ok: false, reason: 'no_matching_signature' };
}

/** The HMAC key behind a `whsec_` secret. The prefix is optional, as in the spec's reference libraries. */
export function secretKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const key = Buffer.from(encoded, 'base64');
  if (key.length === 0) throw new TypeError('webhook secret is empty or not base64');
  return key;
}

function sign(key: Buffer, id: string, timestamp: number, body: string | Uint8Array): Buffer {
  return createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest();
}

function header(headers: HeaderSource, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  // Plain objects from node:http are lower-cased already; other sources may not be.
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  return typeof value === 'string' ? value : value?.[0];
}
