import { createDb } from '@tripwire/db';
import { testKafka } from '@tripwire/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../../tests/support/api-fixture.ts';
import { startApiProcess, stopApiProcesses } from '../../../tests/support/api-processes.ts';
import { createTenant } from '../../services/tenants.ts';

// Two web processes on one topic: the ingestion rate limit is the tenant's once, not once per process.
// A burst of 20 and a slow refill (1/s), so what refills while the requests are answered stays small.
const BURST = 20;
const RATE = 1;
let urls: string[] = [];
const { db, close } = createDb({ connectionString: process.env.DATABASE_URL as string, max: 2 });

beforeAll(async () => {
  const topic = await testKafka().createTopic('shared-rate');
  urls = await Promise.all([startApiProcess(topic), startApiProcess(topic)]);
}, 120_000);

afterAll(async () => {
  await stopApiProcesses();
  await close();
});

describe('ingestion rate limit across web processes (real Postgres, two processes)', () => {
  it("admits a tenant's rate once across two processes and refuses the rest with 429, Retry-After and the reason", async () => {
    const tenant = await createTenant(db, {
      name: `shared ${Date.now()}`,
      ingestRatePerSecond: RATE,
      ingestBurst: BURST,
    });
    const started = Date.now();
    // 80 events at once, half to each process: two per-process buckets would admit 2 x 20.
    const answers = await Promise.all(
      Array.from({ length: 80 }, (_, i) =>
        call(`${urls[i % 2]}/track`, {
          key: tenant.writeKey,
          body: { userId: `u${i}`, event: 'clicked' },
        }),
      ),
    );
    const elapsed = (Date.now() - started) / 1000;
    const accepted = answers.filter((a) => a.status === 200);
    const refused = answers.filter((a) => a.status === 429);
    expect(accepted.length + refused.length).toBe(80);
    // At most the burst plus what refilled while the requests were answered (a slice of 1 per lease
    // here). Under a machine's full load, concurrent leases can admit fewer than the burst (the
    // clients retry on 429; issue 15 note): the bound checked is the one that protects the instance.
    expect(accepted.length).toBeGreaterThanOrEqual(1);
    expect(accepted.length).toBeLessThanOrEqual(BURST + Math.ceil(RATE * elapsed) + 2);
    expect(accepted.length).toBeLessThan(2 * BURST);
    // Both processes admitted some: they share one bucket, not split it.
    expect(new Set(answers.flatMap((a, i) => (a.status === 200 ? [i % 2] : []))).size).toBe(2);
    const [no] = refused;
    expect(Number(no?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(no?.body.error).toMatchObject({ code: 'rate_limited' });
    expect(no?.body.error.message).toMatch(/ingestion rate of 1 events\/s/);
  });
});
