import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, call, newTenant, startApi } from '../../../tests/support/api-fixture.ts';
import type { CreatedTenant } from '../../services/tenants.ts';

// A web app whose Kafka is gone: the broker address accepts connections and closes them at once,
// the way a stopped broker behind a load balancer looks. Postgres is real and up.
let api: ApiFixture;
let tenant: CreatedTenant;
let deadBroker: Server;

beforeAll(async () => {
  deadBroker = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => deadBroker.listen(0, '127.0.0.1', () => resolve()));
  const address = deadBroker.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  api = await startApi('kafka-down', { KAFKA_BROKERS: `127.0.0.1:${port}`, EVENTS_TOPIC: 'unused' });
  tenant = await newTenant(api);
});
afterAll(async () => {
  await api?.stop();
  deadBroker?.close();
});

describe('ingestion with Kafka unreachable', () => {
  it('answers 503 with Retry-After, never 200, for track and batch', async () => {
    const track = await call(`${api.url}/track`, { key: tenant.writeKey, body: { userId: 'u', event: 'e' } });
    expect(track.status).toBe(503);
    expect(track.headers.get('retry-after')).toBe('5');
    expect(track.body.error.code).toBe('unavailable');
    const batch = await call(`${api.url}/batch`, {
      key: tenant.writeKey,
      body: { batch: [{ type: 'track', userId: 'u', event: 'e' }] },
    });
    expect(batch.status).toBe(503);
  });

  it('leaves no half-written profile when identify cannot reach Kafka', async () => {
    const res = await call(`${api.url}/identify`, {
      key: tenant.writeKey,
      body: { userId: 'ghost', traits: { a: 1 } },
    });
    expect(res.status).toBe(503);
    expect((await call(`${api.url}/profiles/ghost`, { key: tenant.adminKey })).status).toBe(404);
  });

  it('tells an import where to resume', async () => {
    const lines = `${JSON.stringify({ type: 'track', userId: 'u', event: 'e' })}\n`;
    const res = await call(`${api.url}/import`, {
      key: tenant.writeKey,
      raw: lines,
      contentType: 'application/x-ndjson',
    });
    expect(res).toMatchObject({ status: 503, body: { error: { details: { accepted: 0, resumeFromLine: 1 } } } });
  });
});
