// What an attacker sends: strings of any UTF-16 code units (NUL, lone surrogates), prototype keys,
// dates at and beyond the edges, numbers JSON can barely hold, values nested too deep, JSON Logic
// that doubles its accumulator, and documents that are almost workflows.
import fc from 'fast-check';

const unit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
export const hostileText = fc.oneof(
  fc.string({ maxLength: 16 }),
  fc.string({ unit, maxLength: 16 }),
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    '\ud800',
    'x\udfff',
    '😀\ud83d',
    '',
    ' ',
    '__proto__',
    'constructor',
    '%00',
    '../..',
    '$'.concat('{jndi:x}'),
    "'; drop table users; --",
    'x'.repeat(300),
  ),
);
export const hostileDate = fc.oneof(
  fc.date({ noInvalidDate: false }).map((d) => (Number.isNaN(d.getTime()) ? 'Invalid Date' : d.toISOString())),
  fc.constantFrom(
    '0000-01-01T00:00:00Z',
    '-000001-01-01T00:00:00Z',
    '+275760-09-13T00:00:00Z',
    '9999-12-31T23:59:59.999Z',
    '2026-02-30T00:00:00Z',
    'yesterday',
    '1e999',
  ),
);
const hostileNumber = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(1e308, -0, 2 ** 53 + 1, -1, 3_000_000_000));
export const hostileScalar = fc.oneof(hostileText, hostileNumber, fc.boolean(), fc.constant(null), hostileDate);
export const hostileValue = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, hostileScalar, tie('a'), tie('o')),
  a: fc.array(tie('v'), { maxLength: 4 }),
  o: fc.dictionary(hostileText, tie('v'), { maxKeys: 4 }),
})).v;

function nested(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}
export const deep = fc.integer({ min: 20, max: 60 }).map(nested);

/** A Segment message with any field replaced by something hostile. */
export const hostileMessage = fc.record(
  {
    type: fc.oneof(fc.constantFrom('track', 'identify'), hostileText),
    userId: fc.oneof(hostileText, hostileNumber),
    anonymousId: hostileText,
    messageId: hostileText,
    event: hostileText,
    timestamp: hostileDate,
    properties: fc.oneof(fc.dictionary(hostileText, hostileValue, { maxKeys: 5 }), deep, hostileValue),
    traits: fc.oneof(fc.dictionary(hostileText, hostileValue, { maxKeys: 5 }), deep),
    context: fc.dictionary(hostileText, hostileValue, { maxKeys: 3 }),
  },
  { requiredKeys: [] },
);

/** Messages that must be accepted, wherever they stand in a batch. */
export const validMessage = fc
  .tuple(fc.constantFrom('track', 'identify'), fc.stringMatching(/^[a-z0-9_-]{1,20}$/), fc.integer())
  .map(([type, user, n]) =>
    type === 'track'
      ? { type, userId: `u-${user}`, event: 'Fuzz Valid', properties: { n } }
      : { type, userId: `u-${user}`, traits: { n } },
  );

const ones = (n: number) => Array.from({ length: n }, () => 1);
const acc = { var: 'accumulator' };
const LOGIC_OPS = ['==', '<', 'and', 'or', 'if', '!', 'in', 'cat', 'merge', 'map', 'filter', 'reduce', 'some', 'var'];
export const hostileLogic = fc.oneof(
  fc.constantFrom<unknown>(
    { reduce: [ones(27), { merge: [acc, acc] }, [0]] },
    { reduce: [ones(40), { cat: [acc, acc] }, 'ab'] },
    { some: [ones(200), { some: [ones(200), { some: [ones(200), false] }] }] },
    { reduce: [{ var: 'event.properties.xs' }, [acc, acc], 0] },
    { method: ['x', 'constructor'] },
  ),
  fc.letrec((tie) => ({
    r: fc.oneof(
      { depthSize: 'small' },
      hostileScalar,
      fc.record({ var: hostileText }),
      fc
        .tuple(fc.constantFrom(...LOGIC_OPS), fc.array(tie('r'), { maxLength: 3 }))
        .map(([op, args]) => ({ [op]: args })),
    ),
  })).r,
);

const nodeTypes = fc.constantFrom('trigger.event', 'condition.if', 'action.webhook', 'action.kafka', 'wait.event', 'x');
export const hostileDocument = fc.record({
  name: hostileText,
  nodes: fc.array(
    fc.record({
      id: hostileText,
      type: nodeTypes,
      version: fc.oneof(fc.constant(1), hostileNumber),
      config: fc.oneof(
        fc.record({ event: hostileText, filter: hostileLogic }),
        fc.record({ logic: hostileLogic }),
        fc.record({ topic: hostileText, value: hostileValue }),
        fc.record({ url: hostileText, headers: fc.dictionary(hostileText, hostileText, { maxKeys: 2 }) }),
        fc.dictionary(hostileText, hostileValue, { maxKeys: 3 }),
      ),
    }),
    { maxLength: 4 },
  ),
  edges: fc.array(fc.record({ source: hostileText, target: hostileText, sourceHandle: hostileText }), { maxLength: 3 }),
});
