import { describe, expect, it } from 'vitest';
import { generateApiKey, hashApiKey } from './api-keys.ts';

describe('API key generation', () => {
  it('makes distinct, scope-tagged keys whose stored form is only a hash and a short prefix', () => {
    const a = generateApiKey('ingest');
    const b = generateApiKey('admin');
    expect(a.key).toMatch(/^tw_wk_[A-Za-z0-9_-]{32}$/);
    expect(b.key).toMatch(/^tw_ak_/);
    expect(a.prefix).toBe(a.key.slice(0, 12));
    expect(a.hash).toBe(hashApiKey(a.key));
    expect(a.hash).not.toContain(a.key.slice(12));
    expect(generateApiKey('ingest').key).not.toBe(a.key);
  });
});
