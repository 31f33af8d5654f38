import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TimeWindow } from '../runtime/types.ts';
import { createMarks } from './user-state.ts';

// The marks keep each list in time order and count by binary search; this holds them to the plain
// definition (scan every mark) over random sequences of adds, counts, reservations and prunes.

function naiveMarks() {
  const byKey = new Map<string, { at: number; ref: string }[]>();
  const list = (k: string) => byKey.get(k) ?? (byKey.set(k, []).get(k) as { at: number; ref: string }[]);
  const inWindow = (k: string, w: TimeWindow) => list(k).filter((m) => m.at > w.from && m.at <= w.to);
  return {
    add(k: string, at: number, ref: string) {
      if (!list(k).some((m) => m.at === at && m.ref === ref)) list(k).push({ at, ref });
    },
    count: (k: string, w: TimeWindow) => inWindow(k, w).length,
    reserve(k: string, w: TimeWindow, max: number, ref: string) {
      const found = inWindow(k, w);
      const oldest = found.length ? Math.min(...found.map((m) => m.at)) : null;
      if (found.length < max && !list(k).some((m) => m.at === w.to && m.ref === ref)) list(k).push({ at: w.to, ref });
      return { passes: found.length, oldest };
    },
    prune(before: number) {
      for (const [k, marks] of byKey)
        byKey.set(
          k,
          marks.filter((m) => m.at > before),
        );
    },
  };
}

const key = fc.constantFrom('a', 'b');
const at = fc.integer({ min: 0, max: 40 });
const ref = fc.constantFrom('r1', 'r2', 'r3');
const window = fc.tuple(at, fc.integer({ min: 0, max: 20 })).map(([from, span]) => ({ from, to: from + span }));
const op = fc.oneof(
  fc.record({ op: fc.constant('add' as const), key, at, ref }),
  fc.record({ op: fc.constant('count' as const), key, window }),
  fc.record({ op: fc.constant('reserve' as const), key, window, max: fc.integer({ min: -1, max: 4 }), ref }),
  fc.record({ op: fc.constant('prune' as const), at }),
);

describe('replay marks', () => {
  it('count and reserve exactly as scanning every mark would', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const fast = createMarks();
        const plain = naiveMarks();
        for (const o of ops) {
          if (o.op === 'add') {
            fast.add('u', 'w', o.key, o.at, o.ref);
            plain.add(o.key, o.at, o.ref);
          } else if (o.op === 'count') {
            expect(fast.count('u', 'w', o.key, o.window)).toBe(plain.count(o.key, o.window));
          } else if (o.op === 'reserve') {
            expect(fast.reserve('u', 'w', o.key, o.window, o.max, o.ref)).toEqual(
              plain.reserve(o.key, o.window, o.max, o.ref),
            );
          } else {
            fast.prune(o.at);
            plain.prune(o.at);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('keeps users, workflows and nodes apart', () => {
    const marks = createMarks();
    marks.add('u1', 'w', 'n', 5, 'e1');
    marks.add('u1', 'w', 'm', 5, 'e1');
    marks.add('u2', 'w', 'n', 5, 'e1');
    marks.add('u1', 'w', 'n', 5, 'e1');
    expect(marks.count('u1', 'w', 'n', { from: 0, to: 10 })).toBe(1);
    expect(marks.count('u1', 'v', 'n', { from: 0, to: 10 })).toBe(0);
    expect(marks.count('u3', 'w', 'n', { from: 0, to: 10 })).toBe(0);
  });
});
