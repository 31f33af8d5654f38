import { describe, expect, it } from 'vitest';
import { conditionFields, type Suggestions } from './suggestions';

const seen: Suggestions = {
  events: [{ name: 'Order Completed', sample: { properties: { total: '12', coupon: 'X' } } }],
  properties: [
    { event: 'Order Completed', path: 'total' },
    { event: 'Order Completed', path: 'coupon' },
  ],
  traits: [],
};

describe('condition builder fields', () => {
  it('uses the tracking plan’s declared types and allowed values before what was seen', () => {
    const plan: Suggestions['plan'] = [
      {
        name: 'Order Completed',
        allowOtherProperties: true,
        properties: [
          { name: 'total', type: 'number', required: true },
          { name: 'currency', type: 'string', required: false, enum: ['EUR', 'USD'] },
        ],
      },
    ];
    const fields = conditionFields({ ...seen, plan }, ['Order Completed']);
    const field = (name: string) => fields.find((f) => f.name === name);
    // Seen as a string in the sample, declared a number: number operators.
    expect(field('event.properties.total')?.kind).toBe('number');
    expect(field('event.properties.currency')).toMatchObject({ kind: 'string', choices: ['EUR', 'USD'] });
    expect(field('trigger.properties.currency')?.choices).toEqual(['EUR', 'USD']);
    // Undeclared but seen: still offered, typed from the sample.
    expect(field('event.properties.coupon')?.kind).toBe('string');
    // Without a plan, the sample decides.
    expect(conditionFields(seen, ['Order Completed']).find((f) => f.name === 'event.properties.total')?.kind).toBe(
      'string',
    );
    // Another event's plan does not apply.
    expect(conditionFields({ ...seen, plan }, ['Signup']).find((f) => f.name === 'event.properties.currency')).toBe(
      undefined,
    );
  });
});
