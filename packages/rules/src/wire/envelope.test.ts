import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventEnvelope, parseEnvelope, quickEnvelope } from './envelope.ts';
import { findTextIssue } from './text-policy.ts';

const TENANT = '0b7f3c1e-5a2d-4c8e-9f10-2a3b4c5d6e7f';

const valid = {
  v: 1,
  type: 'track',
  tenantId: TENANT,
  messageId: 'm-1',
  userId: 'u-1',
  event: 'order_completed',
  properties: { total: 12 },
  context: { ip: '127.0.0.1' },
  timestamp: '2026-11-21T08:00:00.123Z',
  receivedAt: '2026-11-21T08:00:01+01:00',
};

const buffer = (value: unknown) => JSON.stringify(value);

/**
 * Object keys for generated properties. Not `__proto__`: the schema rebuilds records by
 * assignment, which turns that key into the copy's prototype, while the quick path keeps JSON's
 * own key as it is (tested on its own below).
 */
const key = fc.string({ maxLength: 5 }).filter((k) => k !== '__proto__');

/** Values a field may plausibly hold in a broken message: near misses of every check. */
const nearMiss = fc.oneof(
  fc.constantFrom(
    undefined,
    null,
    0,
    1,
    2,
    true,
    '',
    'x',
    'track',
    'identify',
    'page',
    TENANT,
    TENANT.toUpperCase(),
    `${TENANT}x`,
    '00000000-0000-0000-0000-000000000000',
    '0b7f3c1e-5a2d-0c8e-9f10-2a3b4c5d6e7f',
    '2026-11-21T08:00:00Z',
    '2026-11-21T08:00:00.5+05:30',
    '2026-02-29T08:00:00Z',
    '2024-02-29T08:00:00Z',
    '2026-11-21T24:00:00Z',
    '2026-11-21 08:00:00Z',
    '2026-11-21T08:00:00',
    'a'.repeat(200),
    'a'.repeat(201),
    'a'.repeat(257),
    [],
    {},
    { a: 1 },
    [1, 2],
  ),
  fc.string({ maxLength: 30 }),
  fc.dictionary(key, fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
);

const FIELDS = Object.keys(valid).concat('anonymousId', 'traits', 'extra');

/** A valid envelope with a few fields replaced by near misses (or removed). */
const mutated = fc
  .record({
    base: fc.constantFrom<Record<string, unknown>>(valid, { ...valid, type: 'identify', event: undefined, traits: {} }),
    changes: fc.array(fc.tuple(fc.constantFrom(...FIELDS), nearMiss), { maxLength: 3 }),
  })
  .map(({ base, changes }) => {
    const out: Record<string, unknown> = { ...base };
    for (const [key, value] of changes) {
      if (value === undefined) delete out[key];
      else out[key] = value;
    }
    // Through JSON, as the engine sees it.
    return JSON.parse(JSON.stringify(out)) as unknown;
  });

describe('parseEnvelope', () => {
  it('accepts a well-formed track event on the quick path, keeping only the envelope keys', () => {
    const raw = { ...valid, extra: 'dropped' };
    const quick = quickEnvelope(raw);
    expect(quick).toEqual(EventEnvelope.parse(raw));
    expect(quick).not.toHaveProperty('extra');
    expect(parseEnvelope(buffer(raw))).toEqual({ ok: true, envelope: EventEnvelope.parse(raw) });
  });

  it('explains what is wrong through the schema when the quick path declines', () => {
    const result = parseEnvelope(buffer({ ...valid, tenantId: 'not-a-uuid', timestamp: 'yesterday' }));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/tenantId: .*; timestamp: /);
    expect(parseEnvelope('{"v":1,')).toEqual({ ok: false, reason: 'not valid JSON' });
    expect(parseEnvelope(buffer({ ...valid, event: undefined }))).toEqual({
      ok: false,
      reason: 'track event without a name',
    });
  });

  it('keeps a "__proto__" property as data, never as a prototype', () => {
    const parsed = parseEnvelope(JSON.stringify(valid).replace('"total":12', '"__proto__":{"admin":true}'));
    expect(parsed.ok).toBe(true);
    const properties = parsed.ok ? (parsed.envelope.properties as Record<string, unknown>) : {};
    expect(Object.getPrototypeOf(properties)).toBe(Object.prototype);
    expect(Object.hasOwn(properties, '__proto__')).toBe(true);
    expect(properties.admin).toBeUndefined();
  });

  it('the quick path never accepts what the schema rejects, and agrees on what both accept', () => {
    fc.assert(
      fc.property(mutated, (raw) => {
        const quick = quickEnvelope(raw);
        const schema = EventEnvelope.safeParse(raw);
        if (quick !== undefined) {
          expect(schema.success).toBe(true);
          expect(quick).toEqual(schema.data);
        }
        // Whatever path it takes, parseEnvelope decides as the schema does.
        const parsed = parseEnvelope(buffer(raw));
        if (!schema.success) expect(parsed.ok).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });

  it('takes the quick path for the ordinary well-formed envelopes', () => {
    fc.assert(
      fc.property(
        fc.record({
          messageId: fc.string({ minLength: 1, maxLength: 200 }),
          userId: fc.string({ minLength: 1, maxLength: 256 }),
          event: fc.string({ minLength: 1, maxLength: 200 }),
          properties: fc.dictionary(key, fc.jsonValue({ maxDepth: 2 })),
          when: fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }),
        }),
        ({ when, ...fields }) => {
          const raw = JSON.parse(
            JSON.stringify({ ...valid, ...fields, timestamp: when.toISOString(), receivedAt: when.toISOString() }),
          );
          expect(quickEnvelope(raw)).toEqual(EventEnvelope.parse(raw));
        },
      ),
    );
  });

  it.each([
    ['userId', { userId: 'u\u0000' }, 'userId: contains a NUL character'],
    ['messageId', { messageId: 'm\ud800' }, 'messageId: contains an unpaired UTF-16 surrogate'],
    ['a property', { properties: { note: ['ok', 'x\u0000'] } }, 'properties.note.1: contains a NUL character'],
    ['a property key', { properties: { 'k\udc00': 1 } }, ': this key contains an unpaired'],
    ['the year 0000', { timestamp: '0000-01-01T00:00:00Z' }, 'timestamp: must be a date between the years 0001'],
  ])('dead-letters text or dates Postgres cannot store (%s), naming the field', (_what, change, reason) => {
    const parsed = parseEnvelope(buffer({ ...valid, ...change }));
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reason).toContain(reason);
    expect(quickEnvelope(JSON.parse(JSON.stringify({ ...valid, ...change })))).toBeUndefined();
  });

  it('decides on text as the shared policy does, for strings of any UTF-16 code units', () => {
    const anyText = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) });
    fc.assert(
      fc.property(fc.constantFrom('userId', 'messageId', 'event', 'property', 'key'), anyText, (field, text) => {
        const properties = field === 'property' ? { p: text } : field === 'key' ? { [`k${text}`]: 1 } : {};
        const raw = {
          ...valid,
          properties,
          ...(field.endsWith('Id') || field === 'event' ? { [field]: `x${text}` } : {}),
        };
        expect(parseEnvelope(buffer(raw)).ok).toBe(findTextIssue(raw) === undefined);
      }),
      { numRuns: 2000 },
    );
  });
});
