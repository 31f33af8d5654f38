import { fromJsonSchema, type TrackingPlan, toJsonSchema } from '@tripwire/rules';
import { describe, expect, it } from 'vitest';
import type { ValidMessage } from './messages.ts';
import { applyPlan, compilePlan } from './tracking-plan-check.ts';

const plan = (mode: TrackingPlan['mode']): TrackingPlan => ({
  mode,
  events: [
    {
      name: 'Order Completed',
      allowOtherProperties: false,
      properties: [
        { name: 'total', type: 'number', required: true },
        { name: 'currency', type: 'string', required: false, enum: ['EUR', 'USD'] },
      ],
    },
  ],
});
const track = (event: string, properties: Record<string, unknown>) =>
  ({ type: 'track', userId: 'u1', event, properties }) as unknown as ValidMessage;

describe('tracking plan', () => {
  it('round-trips through JSON Schema', () => {
    const schema = toJsonSchema(plan('flag'));
    expect(schema.$defs['Order Completed']).toMatchObject({ required: ['total'], additionalProperties: false });
    expect(fromJsonSchema(JSON.parse(JSON.stringify(schema)))).toEqual({ ok: true, events: plan('flag').events });
  });

  it('explains what it cannot import', () => {
    const bad = fromJsonSchema({
      $defs: { A: { properties: { x: { type: 'string', pattern: '^a' } } }, B: { required: ['y'] } },
    });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.issues[0]?.message).toContain('not pattern');
    const missing = fromJsonSchema({ $defs: { B: { required: ['y'] } } });
    expect(missing).toEqual({
      ok: false,
      issues: [{ path: '$defs.B.required', message: '“y” is required but not described under properties' }],
    });
    expect(fromJsonSchema({ $defs: { A: { properties: { x: { type: 'date' } } } } }).ok).toBe(false);
  });

  it('flags, drops or rejects as the mode says', () => {
    const messages = [
      track('Order Completed', { total: '12', currency: 'GBP', coupon: 'X' }),
      track('Order Completed', { total: 12, currency: 'EUR' }),
      track('Page Viewed', { anything: true }),
    ];
    const flagged = applyPlan(compilePlan(plan('flag')), messages);
    expect(flagged.messages).toEqual(messages);
    expect(flagged.flagged).toHaveLength(1);
    expect(flagged.flagged[0]).toContain('“total” should be a number, got "12"');
    expect(flagged.flagged[0]).toContain('“currency” should be one of "EUR", "USD", got "GBP"');
    expect(flagged.flagged[0]).toContain('“coupon” is not in the tracking plan');

    const dropped = applyPlan(compilePlan(plan('drop')), messages);
    expect((dropped.messages[0] as { properties: unknown }).properties).toEqual({});
    expect(dropped.messages.slice(1)).toEqual(messages.slice(1));

    const rejected = applyPlan(compilePlan(plan('reject')), messages);
    expect(rejected.messages).toEqual(messages.slice(1));
    expect(rejected.refused).toEqual([{ index: 0, reason: expect.stringContaining('rejected by the tracking plan') }]);

    // A missing required property cannot be dropped: the event is kept and flagged.
    const missing = applyPlan(compilePlan(plan('drop')), [track('Order Completed', {})]);
    expect(missing.messages).toHaveLength(1);
    expect(missing.flagged[0]).toContain('“total” is required');
  });
});
