import fc from 'fast-check';
import jsonLogic from 'json-logic-js';
import { describe, expect, it } from 'vitest';
import { generateContexts, generateRules } from '../../bench/rule-gen.ts';
import { condition, data, rule } from './arbitraries.test-helper.ts';
import { applyLogic, compileLogic } from './compile.ts';
import { outcome, sameOutcome } from './same-value.test-helper.ts';

// Differential property test: on random rules and data, compileLogic and applyLogic give exactly
// json-logic-js's outcome — the same value (Object.is at the leaves) or an exception likewise.

const reference = (r: unknown, d: unknown) => outcome(() => jsonLogic.apply(r as jsonLogic.RulesLogic, d));

/** Asserts that `compiled` (compileLogic's function for r) and applyLogic give json-logic-js's outcome on d. */
function expectReferenceOutcome(r: unknown, d: unknown, compiled: (d: unknown) => unknown, label?: string) {
  const expected = reference(r, d);
  expect(
    sameOutcome(
      expected,
      outcome(() => compiled(d)),
    ),
    label,
  ).toBe(true);
  expect(
    sameOutcome(
      expected,
      outcome(() => applyLogic(r, d)),
    ),
    label,
  ).toBe(true);
  return expected;
}

describe('differential: compileLogic/applyLogic vs json-logic-js', () => {
  it('agree on random rules and data', () => {
    fc.assert(
      fc.property(rule, data, (r, d) => {
        const expected = reference(r, d);
        // Copies, so caching by identity or by JSON text is exercised too.
        const compiled = outcome(() => compileLogic(structuredClone(r))(d));
        const interpreted = outcome(() => applyLogic(r, d));
        return sameOutcome(expected, compiled) && sameOutcome(expected, interpreted);
      }),
      { numRuns: 10_000 },
    );
  });

  it('agree with a rule compiled once and run over many data', () => {
    fc.assert(
      fc.property(rule, fc.array(data, { minLength: 1, maxLength: 8 }), (r, ds) => {
        const fn = outcome(() => compileLogic(r));
        return ds.every((d) => {
          const expected = reference(r, d);
          return sameOutcome(expected, fn.ok ? outcome(() => (fn.value as (x: unknown) => unknown)(d)) : { ok: false });
        });
      }),
      { numRuns: 3000 },
    );
  });

  it('agree on trigger-condition-like trees', () => {
    fc.assert(
      fc.property(condition, fc.array(data, { minLength: 1, maxLength: 6 }), (r, ds) => {
        const fn = compileLogic(r);
        return ds.every((d) => {
          const expected = reference(r, d);
          return (
            sameOutcome(
              expected,
              outcome(() => fn(d)),
            ) &&
            sameOutcome(
              expected,
              outcome(() => applyLogic(r, d)),
            )
          );
        });
      }),
      { numRuns: 4000 },
    );
  });

  it('agree on counterexamples found before', () => {
    const cases: [unknown, unknown][] = [
      // An undefined array item is the item rule's data, not the outer data.
      [{ filter: [[{ and: [] }], { missing_some: [1, ['constructor']] }] }, ''],
      [{ map: [[null, { and: [] }], { var: 'length' }] }, 'abc'],
      // join's ToString throws for a Symbol; String() does not.
      [{ cat: ['x', { var: 'a' }] }, { a: Symbol('s') }],
      // filter, map and reduce skip holes (Array.prototype methods); all/none/some visit them.
      // biome-ignore lint/suspicious/noSparseArray: a hole is the point
      [{ filter: [{ var: '' }, { '!': { var: '' } }] }, [, 0]],
      // biome-ignore lint/suspicious/noSparseArray: a hole is the point
      [{ map: [{ var: '' }, 1] }, [, 0]],
      // biome-ignore lint/suspicious/noSparseArray: a hole is the point
      [{ reduce: [{ var: '' }, { '+': [{ var: 'accumulator' }, 1] }, 0] }, [, 0]],
      // biome-ignore lint/suspicious/noSparseArray: a hole is the point
      [{ all: [{ var: '' }, { '!': { var: '' } }] }, [, 0]],
    ];
    for (const [r, d] of cases) expectReferenceOutcome(r, d, (x) => compileLogic(r)(x));
  });

  it('agree when an object on a path cannot be read: the exception comes exactly where json-logic-js reaches it', () => {
    const revoked = (): object => {
      const { proxy, revoke } = Proxy.revocable({}, {});
      revoke();
      return proxy;
    };
    // Each context with one of its objects unreadable: a throwing getter or a revoked proxy.
    const unreadable = (c: Record<string, Record<string, unknown>>, where: string, kind: number): unknown => {
      const poison = (target: Record<string, unknown>, key: string): Record<string, unknown> => {
        const copy = { ...target };
        if (kind === 0) {
          Object.defineProperty(copy, key, {
            enumerable: true,
            get() {
              throw new Error(`${key} is not readable`);
            },
          });
        } else copy[key] = revoked();
        return copy;
      };
      if (where === 'event.properties') return { ...c, event: poison(c.event ?? {}, 'properties') };
      return poison(c, where);
    };
    const rules = generateRules(200, 3);
    const contexts = generateContexts(20, 4) as Record<string, Record<string, unknown>>[];
    let throws = 0;
    let values = 0;
    for (const r of rules) {
      const fn = compileLogic(r);
      for (const c of contexts) {
        for (const where of ['event', 'trigger', 'user', 'event.properties']) {
          for (const kind of [0, 1]) {
            const d = unreadable(c, where, kind);
            const expected = expectReferenceOutcome(r, d, fn, `${JSON.stringify(r)} with ${where}`);
            if (expected.ok) values++;
            else throws++;
          }
        }
      }
    }
    // Both happen often: rules that short-circuit before the object and rules that reach it.
    expect(Math.min(throws, values)).toBeGreaterThan(1000);
  });

  it("agree on the benchmark's realistic rules and contexts", () => {
    const rules = generateRules(200, 1);
    const contexts = generateContexts(40, 2);
    for (const r of rules) {
      const fn = compileLogic(r);
      for (const c of contexts) expectReferenceOutcome(r, c, fn);
    }
  });
});
