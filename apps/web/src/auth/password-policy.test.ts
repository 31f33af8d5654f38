import { describe, expect, it } from 'vitest';
import { passwordLength, passwordProblem } from './password-policy.ts';

describe('password policy', () => {
  it.each(['violet-harbor-88-kite', 'amber-lantern-77-reef', 'correct horse battery staple'])(
    'accepts a long, uncommon password (%s)',
    (password) => {
      expect(passwordProblem(password, 'ann@example.com')).toBeNull();
    },
  );

  it.each([
    ['short1', /at least 10/],
    ['😀😀😀😀😀', /at least 10/],
    ['          ', /not only spaces/],
    ['\t\n          ', /not only spaces/],
    ['password123', /too easy to guess/],
    ['Password123!', /too easy to guess/],
    ['Summer2024!', /too easy to guess/],
    ['QwertyUiop', /too easy to guess/],
    ['aaaaaaaaaaaa', /too easy to guess/],
    ['9876543210', /too easy to guess/],
    ['annabelle-2026', /email address/],
    ['x'.repeat(129), /at most 128/],
  ])('refuses %s with a reason', (password, reason) => {
    expect(passwordProblem(password, 'annabelle@example.com')).toMatch(reason);
  });

  it('counts characters as people do: code points', () => {
    expect(passwordLength('😀😀😀😀😀')).toBe(5);
    expect(passwordLength('naïve')).toBe(5);
  });
});
