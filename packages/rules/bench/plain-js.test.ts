import jsonLogic from 'json-logic-js';
import { describe, expect, it } from 'vitest';
import { plainFunction } from './plain-js.ts';
import { generateContexts, generateRules } from './rule-gen.ts';

const apply = (rule: unknown, data: unknown): unknown => jsonLogic.apply(rule as jsonLogic.RulesLogic, data);

describe('the benchmark yardstick (hand-written JavaScript of each rule)', () => {
  it('translates every rule of the bench corpus and runs it on every context', () => {
    const rules = generateRules(500, 20_240_601);
    const contexts = generateContexts(300, 7);
    let agree = 0;
    for (const rule of rules) {
      const fn = plainFunction(rule);
      for (const data of contexts) if (!fn(data) === !apply(rule, data)) agree++;
    }
    // Not JSON Logic's semantics, but the same rules: most outcomes coincide.
    expect(agree / (rules.length * contexts.length)).toBeGreaterThan(0.9);
  });

  it('writes each operator as the JavaScript it stands for', () => {
    const data = {
      event: {
        name: 'order_completed',
        properties: { total: 120, discount: 5, currency: 'EUR', items: [{ price: 9 }] },
      },
      trigger: { name: 'signup', properties: { total: 3 } },
      user: { plan: 'pro', tags: ['vip'], email: 'a@example.com' },
    };
    const cases: [unknown, unknown][] = [
      [{ and: [{ '>': [{ var: 'event.properties.total' }, 100] }, { '==': [{ var: 'user.plan' }, 'pro'] }] }, true],
      [
        { or: [{ '<': [{ var: 'trigger.properties.total' }, 2] }, { '===': [{ var: 'event.name' }, 'signup'] }] },
        false,
      ],
      [{ '<=': [100, { var: 'event.properties.total' }, 120] }, true],
      [{ '<': [100, { var: 'event.properties.total' }, 110] }, false],
      [{ '>=': [{ '-': [{ var: 'event.properties.total' }, { var: ['event.properties.coupon', 0] }] }, 120] }, true],
      [{ '==': [{ '%': [{ var: 'event.properties.discount' }, 2] }, 1] }, true],
      [{ in: [{ var: 'event.properties.currency' }, ['USD', 'EUR']] }, true],
      [{ in: ['beta', { var: 'user.tags' }] }, false],
      [{ missing_some: [1, ['user.email', 'user.phone']] }, false],
      [{ '!': { missing: ['user.phone'] } }, false],
      [{ '!!': { var: 'user.email' } }, true],
      [{ some: [{ var: 'event.properties.items' }, { '>': [{ var: 'price' }, 8] }] }, true],
      [
        {
          if: [
            { '>': [{ var: 'event.properties.total' }, 500] },
            true,
            { '*': [{ var: 'event.properties.total' }, 2] },
          ],
        },
        240,
      ],
    ];
    for (const [rule, expected] of cases) {
      expect(plainFunction(rule)(data), JSON.stringify(rule)).toEqual(expected);
      // json-logic-js agrees on the outcome (it returns [] rather than false for missing_some).
      expect(jsonLogic.truthy(apply(rule, data)), JSON.stringify(rule)).toBe(jsonLogic.truthy(expected));
    }
  });

  it('refuses path segments that are not identifiers', () => {
    expect(() => plainFunction({ var: 'user.x;process.exit()' })).toThrow(/path segment/);
    expect(() => plainFunction({ method: [] })).toThrow(/operator/);
  });
});
