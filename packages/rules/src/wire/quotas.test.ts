import { describe, expect, it } from 'vitest';
import {
  addDays,
  dayPeriod,
  MAX_HOLD_DAYS,
  monthlyEventQuotaReason,
  monthPeriod,
  nextDayStart,
  nextMonthStart,
  PlanLimits,
  secondsUntil,
  usageShare,
} from './quotas.ts';

const at = (iso: string) => Date.parse(iso);

describe('quota periods (UTC)', () => {
  it('puts the last millisecond of a day and a month in that day and month, the next one in the next', () => {
    expect(dayPeriod(at('2026-12-31T23:59:59.999Z'))).toBe('2026-12-31');
    expect(dayPeriod(at('2027-01-01T00:00:00.000Z'))).toBe('2027-01-01');
    expect(monthPeriod(at('2026-12-31T23:59:59.999Z'))).toBe('2026-12-01');
    expect(monthPeriod(at('2027-01-01T00:00:00.000Z'))).toBe('2027-01-01');
  });

  it('does not follow a local time zone: 23:30 at UTC-5 on the 31st is already the 1st', () => {
    expect(dayPeriod(at('2026-01-31T23:30:00-05:00'))).toBe('2026-02-01');
    expect(monthPeriod(at('2026-01-31T23:30:00-05:00'))).toBe('2026-02-01');
  });

  it('rolls the next month over the year and through short months and leap days', () => {
    expect(new Date(nextMonthStart(at('2026-12-15T10:00:00Z'))).toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(new Date(nextMonthStart(at('2028-02-29T23:59:59Z'))).toISOString()).toBe('2028-03-01T00:00:00.000Z');
    expect(new Date(nextMonthStart(at('2026-01-31T00:00:00Z'))).toISOString()).toBe('2026-02-01T00:00:00.000Z');
    expect(new Date(nextDayStart(at('2028-02-28T12:00:00Z'))).toISOString()).toBe('2028-02-29T00:00:00.000Z');
    expect(new Date(nextDayStart(at('2026-12-31T00:00:00Z'))).toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });

  it('adds days across month and year ends', () => {
    expect(addDays('2026-12-30', 3)).toBe('2027-01-02');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', 0)).toBe('2026-03-01');
    expect(addDays('2026-01-01', MAX_HOLD_DAYS)).toBe('2026-02-01');
  });

  it('gives a Retry-After in whole seconds, at least 1, up to the next month', () => {
    const now = at('2026-12-31T23:59:58.200Z');
    expect(secondsUntil(now, nextMonthStart(now))).toBe(2);
    expect(secondsUntil(now, now)).toBe(1);
    expect(secondsUntil(at('2026-11-01T00:00:00Z'), nextMonthStart(at('2026-11-01T00:00:00Z')))).toBe(30 * 86_400);
  });
});

describe('quota words and numbers', () => {
  it('says which quota, its size and when it resets', () => {
    expect(monthlyEventQuotaReason(1_000_000, at('2027-01-01T00:00:00Z'))).toBe(
      "This workspace's monthly event quota of 1,000,000 reached: events are accepted again from 2027-01-01 00:00 UTC, or ask your operator for a larger plan",
    );
  });

  it('measures use against a limit; none is never near, zero is full', () => {
    expect(usageShare(45, 50)).toBe(0.9);
    expect(usageShare(10, null)).toBe(0);
    expect(usageShare(0, 0)).toBe(1);
    expect(usageShare(3, 0)).toBe(Infinity);
  });

  it('refuses plan limits that make no sense', () => {
    const ok = {
      ingestRatePerSecond: null,
      ingestBurst: null,
      eventsPerMonth: 0,
      actionsPerDay: 10,
      workflows: null,
      overQuotaActions: 'drop',
    };
    expect(PlanLimits.safeParse(ok).success).toBe(true);
    expect(PlanLimits.safeParse({ ...ok, ingestRatePerSecond: 0 }).success).toBe(false);
    expect(PlanLimits.safeParse({ ...ok, actionsPerDay: -1 }).success).toBe(false);
    expect(PlanLimits.safeParse({ ...ok, workflows: 1.5 }).success).toBe(false);
    expect(PlanLimits.safeParse({ ...ok, overQuotaActions: 'queue' }).success).toBe(false);
  });
});
