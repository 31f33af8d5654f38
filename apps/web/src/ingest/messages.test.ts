import { describe, expect, it } from 'vitest';
import { kafkaKey, toEnvelope } from './envelope.ts';
import { checkMessage, MAX_MESSAGE_BYTES, MAX_MESSAGE_DEPTH } from './messages.ts';

describe('Segment message validation', () => {
  it('accepts a track call and normalises its timestamp and ids', () => {
    const checked = checkMessage(
      { userId: 42, event: 'Order Completed', properties: { total: 10 }, timestamp: '2026-01-02T03:04:05+01:00' },
      'track',
    );
    expect(checked).toEqual({
      ok: true,
      message: expect.objectContaining({ type: 'track', userId: '42', timestamp: '2026-01-02T02:04:05.000Z' }),
    });
  });

  it('gives a reason for each problem', () => {
    const checked = checkMessage({ event: '', properties: [], timestamp: 'yesterday' }, 'track');
    expect(checked.ok).toBe(false);
    const text = checked.ok ? '' : checked.reason;
    expect(text).toMatch(/event/);
    expect(text).toMatch(/properties/);
    expect(text).toMatch(/timestamp: must be an ISO-8601 date-time/);
  });

  it('requires a user, a known type in batches, and an object under the size limit', () => {
    expect(checkMessage({ event: 'x' }, 'track')).toMatchObject({ ok: false, reason: /userId or anonymousId/ });
    expect(checkMessage({ type: 'page', userId: 'u' })).toMatchObject({ ok: false, reason: /type must be/ });
    expect(checkMessage([1], 'track')).toMatchObject({ ok: false, reason: /JSON object/ });
    const big = { userId: 'u', event: 'e', properties: { blob: 'x'.repeat(MAX_MESSAGE_BYTES) }, messageId: 'm1' };
    expect(checkMessage(big, 'track')).toEqual({ ok: false, reason: 'message is over 32 KB', messageId: 'm1' });
  });

  it('refuses deep nesting with a reason (a 5,000-deep value would overflow JSON.stringify)', () => {
    const nest = (depth: number) => {
      let v: unknown = 1;
      for (let i = 0; i < depth; i++) v = [v];
      return v;
    };
    // The message is level 1 and properties level 2, so properties may hold 30 more levels.
    const ok = checkMessage({ userId: 'u', event: 'e', properties: { deep: nest(MAX_MESSAGE_DEPTH - 2) } }, 'track');
    expect(ok.ok).toBe(true);
    for (const depth of [MAX_MESSAGE_DEPTH - 1, 5000]) {
      expect(checkMessage({ userId: 'u', event: 'e', properties: { deep: nest(depth) } }, 'track')).toMatchObject({
        ok: false,
        reason: `message is nested deeper than ${MAX_MESSAGE_DEPTH} levels`,
      });
    }
  });

  it('keys the Kafka message by tenant and user, anonymous users by anonymousId', () => {
    const received = new Date('2026-05-01T00:00:00Z');
    const checked = checkMessage({ anonymousId: 'anon-1', traits: { plan: 'pro' } }, 'identify');
    if (!checked.ok) throw new Error(checked.reason);
    const envelope = toEnvelope('t1', checked.message, received);
    expect(envelope).toMatchObject({ v: 1, type: 'identify', userId: 'anon-1', traits: { plan: 'pro' } });
    expect(envelope.messageId).toMatch(/^tw-/);
    expect(envelope.timestamp).toBe(received.toISOString());
    expect(kafkaKey(envelope)).toBe('t1:anon-1');
  });

  it('merges a batch-level context under each message context', () => {
    const checked = checkMessage({ type: 'track', userId: 'u', event: 'e', context: { ip: '1' } }, undefined, {
      library: 'x',
      ip: '0',
    });
    expect(checked).toMatchObject({ ok: true, message: { context: { library: 'x', ip: '1' } } });
  });
});
