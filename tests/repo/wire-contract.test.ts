// Ingestion and the engine are two processes with one contract: an event the web app accepts (2xx)
// is one the engine evaluates, never one it dead-letters. This holds the two ends together on
// hostile messages: any UTF-16 code units in ids, keys and values, dates around the edges of the
// years 0001-9999, deep values.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toEnvelope } from '../../apps/web/src/ingest/envelope.ts';
import { checkMessage } from '../../apps/web/src/ingest/messages.ts';
import { parseEnvelope } from '../../packages/rules/src/wire/envelope.ts';

const TENANT = '0b7f3c1e-5a2d-4c8e-9f10-2a3b4c5d6e7f';
const unit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const hostileText = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit, maxLength: 12 }),
  fc.constantFrom('\u0000', '\ud800', 'a\udc00', '😀', '\ud83d\ude00\ud83d', ' ', '', '__proto__'),
);
const value = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    hostileText,
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    tie('a'),
    tie('o'),
  ),
  a: fc.array(tie('v'), { maxLength: 3 }),
  o: fc.dictionary(hostileText, tie('v'), { maxKeys: 3 }),
})).v;
const timestamp = fc.oneof(
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom(
    '0000-01-01T00:00:00Z',
    '0001-01-01T00:00:00Z',
    '0001-01-01T00:30:00+01:00',
    '9999-12-31T23:59:59.999Z',
    '9999-12-31T23:59:59-01:00',
    '2026-02-30T00:00:00Z',
    '2026-05-01',
  ),
);
const message = fc.record(
  {
    type: fc.constantFrom('track', 'identify'),
    userId: fc.oneof(hostileText, fc.integer()),
    anonymousId: hostileText,
    messageId: hostileText,
    event: hostileText,
    properties: fc.dictionary(hostileText, value, { maxKeys: 4 }),
    traits: fc.dictionary(hostileText, value, { maxKeys: 4 }),
    context: fc.dictionary(hostileText, value, { maxKeys: 3 }),
    timestamp,
  },
  { requiredKeys: ['type'] },
);

describe('wire contract: what ingestion accepts, the engine evaluates', () => {
  it('the engine parses every envelope ingestion would produce', () => {
    let accepted = 0;
    fc.assert(
      fc.property(message, (raw) => {
        const checked = checkMessage(raw);
        if (!checked.ok) return;
        accepted++;
        const envelope = toEnvelope(TENANT, checked.message, new Date());
        const parsed = parseEnvelope(JSON.stringify(envelope));
        expect(parsed, JSON.stringify(raw)).toMatchObject({ ok: true });
      }),
      { numRuns: 5000 },
    );
    // The generator is not so hostile that nothing gets through.
    expect(accepted).toBeGreaterThan(200);
  });
});
