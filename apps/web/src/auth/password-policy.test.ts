import { describe, expect, it } from 'vitest';
import { passwordProblem } from './password-policy.ts';

describe('password policy', () => {
  it('accepts a long, uncommon password', () => {
    expect(passwordProblem('violet-harbor-88-kite', 'ann@example.com')).toBeNull();
  });

  it.each([
    ['short1', /at least 10/],
    ['password123', /too common/],
    ['QwertyUiop', /too common/],
    ['aaaaaaaaaaaa', /repeat/],
    ['9876543210', /run of digits/],
    ['annabelle-2026', /email address/],
    ['x'.repeat(129), /at most 128/],
  ])('refuses %s with a reason', (password, reason) => {
    expect(passwordProblem(password, 'annabelle@example.com')).toMatch(reason);
  });
});
