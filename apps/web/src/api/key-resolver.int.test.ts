import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, newTenant, startApi } from '../../tests/support/api-fixture.ts';
import { hashApiKey } from '../auth/api-keys.ts';
import { createKeyResolver } from './key-resolver.ts';

let api: ApiFixture;
beforeAll(async () => {
  api = await startApi('key-resolver');
});
afterAll(() => api?.stop());

describe('API key resolver (real Postgres, LISTEN/NOTIFY)', () => {
  it('keeps a bounded cache however many unknown keys are presented', async () => {
    const resolver = createKeyResolver({
      db: api.web.db,
      connectionString: process.env.DATABASE_URL as string,
      maxEntries: 20,
    });
    await resolver.start();
    try {
      const tenant = await newTenant(api);
      expect(await resolver.resolve(tenant.writeKey)).toMatchObject({ tenantId: tenant.tenantId, scope: 'ingest' });
      for (let i = 0; i < 200; i++) {
        expect(await resolver.resolve(`tw_live_${randomBytes(16).toString('hex')}`)).toBeNull();
      }
      expect(resolver.size).toBe(20);
      // The real key was pushed out, and is found again.
      expect(await resolver.resolve(tenant.writeKey)).toMatchObject({ tenantId: tenant.tenantId });
    } finally {
      await resolver.stop();
    }
  });

  it('does not cache an answer that a revocation overtook while it was being looked up', async () => {
    const resolver = createKeyResolver({ db: api.web.db, connectionString: process.env.DATABASE_URL as string });
    await resolver.start();
    try {
      const tenant = await newTenant(api);
      // The eviction lands while the first lookup is in flight (it is issued right after it).
      const first = resolver.resolve(tenant.adminKey);
      resolver.evict(hashApiKey(tenant.adminKey));
      expect(await first).toMatchObject({ scope: 'admin' });
      expect(resolver.size).toBe(0);
    } finally {
      await resolver.stop();
    }
  });
});
