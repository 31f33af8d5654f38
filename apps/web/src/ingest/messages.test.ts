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

  it.each([
    ['userId', { userId: 'u\u0000' }, 'userId: contains a NUL character (\\u0000), which cannot be stored'],
    ['anonymousId', { userId: undefined, anonymousId: '\ud800' }, 'anonymousId: contains an unpaired UTF-16 surrogate'],
    ['messageId', { messageId: 'm\udfff' }, 'messageId: contains an unpaired UTF-16 surrogate'],
    ['event', { event: 'Order\u0000' }, 'event: contains a NUL character'],
    ['a property key', { properties: { 'a\u0000b': 1 } }, 'properties.a\\u0000b: this key contains a NUL character'],
    ['a nested context key', { context: { page: { '\udc00': 1 } } }, 'context.page.\\udc00: this key contains'],
    [
      'the year 0000',
      { timestamp: '0000-01-01T00:00:00Z' },
      'timestamp: must be a date between the years 0001 and 9999',
    ],
  ])('refuses what cannot be stored (%s), naming the field', (_what, change, reason) => {
    const checked = checkMessage({ userId: 'u', event: 'e', ...change }, 'track');
    expect(checked.ok).toBe(false);
    expect(!checked.ok && checked.reason).toContain(reason);
  });

  it('replaces NUL and unpaired surrogates in property, trait and context values with U+FFFD', () => {
    const track = checkMessage(
      { userId: 'u', event: 'e', properties: { note: 'a\u0000b', list: ['\ud83d'] }, context: { ua: 'x\udc00' } },
      'track',
    );
    expect(track).toMatchObject({
      ok: true,
      message: { properties: { note: 'a\ufffdb', list: ['\ufffd'] }, context: { ua: 'x\ufffd' } },
    });
    const identify = checkMessage({ userId: 'u', traits: { name: 'Zo\u00eb \ud83d\ude00\ud83d' } }, 'identify');
    expect(identify).toMatchObject({ ok: true, message: { traits: { name: 'Zo\u00eb \ud83d\ude00\ufffd' } } });
  });

  it("checks a batch's shared context with each message", () => {
    expect(checkMessage({ userId: 'u', event: 'e' }, 'track', { 'k\u0000': 1 })).toMatchObject({
      ok: false,
      reason: expect.stringContaining('context.k\\u0000: this key contains a NUL character'),
    });
  });
});
