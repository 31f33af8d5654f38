import { describe, expect, it } from 'vitest';
import { describeLogic } from './describe-logic.ts';

const total = { var: 'event.properties.total' };

describe('describeLogic', () => {
  it.each([
    [{ '>=': [total, 500] }, 'total ≥ 500'],
    [{ '>': [total, 100] }, 'total > 100'],
    [{ '!': [{ var: 'user.activated' }] }, "not user's activated"],
    [
      { '==': [{ var: 'event.properties.cartId' }, { var: 'trigger.properties.cartId' }] },
      "cartId = the trigger's cartId",
    ],
    [{ '==': [{ var: 'event.name' }, 'checkout'] }, 'event name = “checkout”'],
    [{ '!=': [total, null] }, 'total is set'],
    [{ '==': [total, null] }, 'total is not set'],
    [{ in: ['vip', { var: 'user.tags' }] }, "user's tags contains “vip”"],
    [{ '!': [{ in: ['vip', { var: 'user.tags' }] }] }, "user's tags does not contain “vip”"],
    [{ in: [{ var: 'event.properties.plan' }, ['pro', 'team']] }, 'plan is one of “pro”, “team”'],
    [{ '!!': [{ var: 'user.beta' }] }, "user's beta is true"],
    [
      { and: [{ '>': [total, 1] }, { or: [{ '<': [total, 5] }, { '==': [total, 9] }] }] },
      'total > 1 and (total < 5 or total = 9)',
    ],
    [{ '<': [1, total, 9] }, '1 < total < 9'],
    [{ cat: ['a', total] }, 'cat(“a”, total)'],
  ])('%j reads as %s', (logic, words) => {
    expect(describeLogic(logic)).toBe(words);
  });

  it('says "always" for no rule', () => {
    expect(describeLogic(undefined)).toBe('always');
  });
});
