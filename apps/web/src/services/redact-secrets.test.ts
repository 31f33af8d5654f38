import { describe, expect, it } from 'vitest';
import { DEFAULT_ACTION_SECRET_PATHS, REDACTED, redactSecrets } from './redact-secrets.ts';

describe('redactSecrets', () => {
  it('replaces every value at a declared path, whatever it looks like', () => {
    const job = {
      type: 'action.webhook',
      config: { url: 'https://hooks.example.com/in', headers: { 'x-team': 'growth', 'x-api-token': 'abc' } },
    };
    expect(redactSecrets(job, DEFAULT_ACTION_SECRET_PATHS)).toEqual({
      type: 'action.webhook',
      config: { url: 'https://hooks.example.com/in', headers: { 'x-team': REDACTED, 'x-api-token': REDACTED } },
    });
    // The input is left as it was.
    expect(job.config.headers['x-team']).toBe('growth');
  });

  it('matches * against array indexes and stops a path that does not fit', () => {
    const paths = [['list', '*', 'key']];
    expect(redactSecrets({ list: [{ key: 'a', other: 'b' }, { key: 'c' }], key: 'kept' }, paths)).toEqual({
      list: [{ key: REDACTED, other: 'b' }, { key: REDACTED }],
      key: 'kept',
    });
  });

  it('hides string values under credential-like keys without a declared path', () => {
    const out = redactSecrets({
      body: { password: 'hunter2', accessToken: 'x', 'X-Api-Key': 'y', author: 'Jane', tokens_used: 12 },
    });
    expect(out).toEqual({
      body: { password: REDACTED, accessToken: REDACTED, 'X-Api-Key': REDACTED, author: 'Jane', tokens_used: 12 },
    });
  });

  it('hides values shaped like credentials wherever they are', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
    const out = redactSecrets({
      note: 'Bearer abcdefghijklmnop',
      list: [jwt, 'tw_wk_AbCdEfGhIjKlMnOp', 'whsec_c2VjcmV0c2VjcmV0', 'sk_live_1234567890ab', 'hello world'],
    });
    expect(out).toEqual({ note: REDACTED, list: [REDACTED, REDACTED, REDACTED, REDACTED, 'hello world'] });
  });

  it('keeps URLs but hides their password and credential-named query parameters', () => {
    expect(
      redactSecrets({
        a: 'https://user:pa55@hooks.example.com/x?token=abc&team=7',
        b: 'https://hooks.example.com/x?team=7',
      }),
    ).toEqual({
      a: 'https://user:redacted@hooks.example.com/x?token=%5Bredacted%5D&team=7',
      b: 'https://hooks.example.com/x?team=7',
    });
  });

  it('gives up on absurdly deep values instead of recursing without end', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 200; i++) deep = { d: deep };
    expect(JSON.stringify(redactSecrets(deep))).toContain(REDACTED);
  });
});
