import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook } from './webhook-signature.ts';

const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

describe('signWebhook', () => {
  it('matches an HMAC-SHA256 computed independently over id.timestamp.body with the decoded key', () => {
    const key = Buffer.from('tripwire-known-answer-key-32byte', 'utf8');
    const secret = `whsec_${key.toString('base64')}`;
    const body = '{"event":"user.signed_up","n":1}';
    const expected = createHmac('sha256', key).update(`msg_2Kx.1700000000.${body}`).digest('base64');

    const headers = signWebhook({ id: 'msg_2Kx', timestamp: 1_700_000_000, body, secrets: [secret] });

    expect(headers).toEqual({
      'webhook-id': 'msg_2Kx',
      'webhook-timestamp': '1700000000',
      'webhook-signature': `v1,${expected}`,
    });
  });

  it('signs once per active secret, space-separated, so old and new both verify during a rotation', () => {
    const [oldSecret, newSecretValue] = [newSecret(), newSecret()];
    const body = '{"a":1}';
    const now = new Date();
    const headers = signWebhook({
      id: 'msg_1',
      timestamp: Math.floor(now.getTime() / 1000),
      body,
      secrets: [oldSecret, newSecretValue],
    });

    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(verifyWebhook({ headers, body, secret: oldSecret, now })).toEqual({ ok: true });
    expect(verifyWebhook({ headers, body, secret: newSecretValue, now })).toEqual({ ok: true });
    expect(verifyWebhook({ headers, body, secret: newSecret(), now })).toEqual({
      ok: false,
      reason: 'no_matching_signature',
    });
  });

  it('signs bytes and strings alike and refuses to sign without a secret or with a fractional timestamp', () => {
    const secret = newSecret();
    const fromString = signWebhook({ id: 'm', timestamp: 1, body: 'héllo', secrets: [secret] });
    const fromBytes = signWebhook({ id: 'm', timestamp: 1, body: Buffer.from('héllo'), secrets: [secret] });
    expect(fromBytes).toEqual(fromString);
    expect(() => signWebhook({ id: 'm', timestamp: 1, body: '', secrets: [] })).toThrow(TypeError);
    expect(() => signWebhook({ id: 'm', timestamp: 1.5, body: '', secrets: [secret] })).toThrow(TypeError);
    expect(() => signWebhook({ id: 'm', timestamp: 1, body: '', secrets: ['whsec_'] })).toThrow(TypeError);
  });
});

describe('verifyWebhook', () => {
  const secret = newSecret();
  const now = new Date('2025-03-01T12:00:00Z');
  const timestamp = Math.floor(now.getTime() / 1000);
  const body = '{"ok":true}';
  const headers = signWebhook({ id: 'msg_v', timestamp, body, secrets: [secret] });

  it('accepts node:http style and fetch Headers, and secrets with or without the whsec_ prefix', () => {
    expect(verifyWebhook({ headers, body, secret, now }).ok).toBe(true);
    expect(verifyWebhook({ headers: new Headers(headers), body, secret, now }).ok).toBe(true);
    const upperCased = { 'Webhook-Id': headers['webhook-id'], 'WEBHOOK-TIMESTAMP': headers['webhook-timestamp'] };
    expect(
      verifyWebhook({
        headers: { ...upperCased, 'webhook-signature': headers['webhook-signature'] },
        body,
        secret,
        now,
      }).ok,
    ).toBe(true);
    expect(verifyWebhook({ headers, body, secret: secret.slice('whsec_'.length), now }).ok).toBe(true);
  });

  it('rejects a changed body, id or timestamp', () => {
    expect(verifyWebhook({ headers, body: '{"ok":false}', secret, now })).toEqual({
      ok: false,
      reason: 'no_matching_signature',
    });
    expect(verifyWebhook({ headers: { ...headers, 'webhook-id': 'msg_other' }, body, secret, now }).ok).toBe(false);
    const shifted = { ...headers, 'webhook-timestamp': String(timestamp + 1) };
    expect(verifyWebhook({ headers: shifted, body, secret, now })).toEqual({
      ok: false,
      reason: 'no_matching_signature',
    });
  });

  it('rejects timestamps outside the tolerance in either direction', () => {
    const at = (seconds: number) => new Date(now.getTime() + seconds * 1000);
    expect(verifyWebhook({ headers, body, secret, now: at(300) }).ok).toBe(true);
    expect(verifyWebhook({ headers, body, secret, now: at(301) })).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(verifyWebhook({ headers, body, secret, now: at(-301) })).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(verifyWebhook({ headers, body, secret, now: at(301), toleranceSeconds: 600 }).ok).toBe(true);
  });

  it('reports missing headers, malformed timestamps and unknown signature versions', () => {
    const { 'webhook-signature': _, ...unsigned } = headers;
    expect(verifyWebhook({ headers: unsigned, body, secret, now })).toEqual({ ok: false, reason: 'missing_headers' });
    const badTimestamp = { ...headers, 'webhook-timestamp': '17e8' };
    expect(verifyWebhook({ headers: badTimestamp, body, secret, now })).toEqual({
      ok: false,
      reason: 'invalid_timestamp',
    });
    const v2Only = { ...headers, 'webhook-signature': headers['webhook-signature'].replace('v1,', 'v2,') };
    expect(verifyWebhook({ headers: v2Only, body, secret, now })).toEqual({
      ok: false,
      reason: 'no_matching_signature',
    });
    const padded = { ...headers, 'webhook-signature': `v1,garbage v1a,x ${headers['webhook-signature']}` };
    expect(verifyWebhook({ headers: padded, body, secret, now }).ok).toBe(true);
  });
});
