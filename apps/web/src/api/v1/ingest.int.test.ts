import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, basic, call, newTenant, startApi } from '../../../tests/support/api-fixture.ts';
import type { CreatedTenant } from '../../services/tenants.ts';

let api: ApiFixture;
let tenant: CreatedTenant;
let other: CreatedTenant;

beforeAll(async () => {
  api = await startApi('ingest');
  tenant = await newTenant(api);
  other = await newTenant(api);
});
afterAll(() => api?.stop());

describe('POST /v1/track, /v1/identify, /v1/batch (real Kafka and Postgres)', () => {
  it('stores a track call in Kafka keyed tenantId:userId, stamped by the server, with each auth style', async () => {
    const viaBasic = await call(`${api.url}/track`, {
      auth: basic(tenant.writeKey),
      body: { userId: 'u1', event: 'Order Completed', properties: { total: 42 }, messageId: 'm-basic' },
    });
    expect(viaBasic).toMatchObject({ status: 200, body: { success: true, messageId: 'm-basic' } });
    const viaBearer = await call(`${api.url}/track`, { key: tenant.writeKey, body: { userId: 'u1', event: 'Second' } });
    expect(viaBearer.status).toBe(200);
    const viaBody = await call(`${api.url}/track`, {
      body: { writeKey: tenant.writeKey, anonymousId: 'anon-9', event: 'Third' },
      contentType: 'text/plain',
    });
    expect(viaBody.status).toBe(200);

    const messages = await api.kafka.read(api.topic, 3);
    const first = messages.find((m) => m.json?.messageId === 'm-basic');
    expect(first?.key).toBe(`${tenant.tenantId}:u1`);
    expect(first?.json).toMatchObject({
      v: 1,
      type: 'track',
      tenantId: tenant.tenantId,
      userId: 'u1',
      event: 'Order Completed',
      properties: { total: 42 },
    });
    expect(Date.parse(String(first?.json?.receivedAt))).toBeGreaterThan(Date.now() - 60_000);
    const second = messages.find((m) => m.json?.event === 'Second');
    expect(String(second?.json?.messageId)).toMatch(/^tw-/);
    // One user's events share a partition, so they stay in order.
    expect(second?.partition).toBe(first?.partition);
    expect(messages.find((m) => m.json?.event === 'Third')?.key).toBe(`${tenant.tenantId}:anon-9`);
  });

  it('merges identify traits into the profile (newest wins) and track leaves profiles alone', async () => {
    expect(
      (
        await call(`${api.url}/identify`, {
          key: tenant.writeKey,
          body: { userId: 'p1', traits: { plan: 'free', country: 'DE' } },
        })
      ).status,
    ).toBe(200);
    expect(
      (await call(`${api.url}/identify`, { key: tenant.writeKey, body: { userId: 'p1', traits: { plan: 'pro' } } }))
        .status,
    ).toBe(200);
    await call(`${api.url}/track`, {
      key: tenant.writeKey,
      body: { userId: 'p1', event: 'x', properties: { plan: 'ignored' } },
    });
    const profile = await call(`${api.url}/profiles/p1`, { key: tenant.adminKey });
    expect(profile).toMatchObject({ status: 200, body: { userId: 'p1', traits: { plan: 'pro', country: 'DE' } } });
    // The other tenant has no such user.
    expect((await call(`${api.url}/profiles/p1`, { key: other.adminKey })).status).toBe(404);
  });

  it('stores the valid messages of a mixed batch and lists the others with reasons', async () => {
    const batch = [
      { type: 'track', userId: 'b1', event: 'Batch Ok', messageId: 'batch-ok-1' },
      { type: 'track', userId: 'b1', messageId: 'no-event' },
      { type: 'identify', userId: 'b2', traits: { vip: true }, messageId: 'batch-ok-2' },
      { type: 'screen', userId: 'b3' },
      'not an object',
    ];
    const res = await call(`${api.url}/batch`, {
      auth: basic(tenant.writeKey),
      body: { batch, context: { library: 'test' } },
    });
    expect(res.status).toBe(400);
    expect(res.body.accepted).toBe(2);
    expect(res.body.rejected).toEqual([
      { index: 1, messageId: 'no-event', reason: expect.stringContaining('event') },
      { index: 3, reason: 'type must be "track" or "identify"' },
      { index: 4, reason: 'message must be a JSON object' },
    ]);
    const all = await api.kafka.read(api.topic, 8);
    const stored = all.filter((m) => String(m.json?.messageId).startsWith('batch-'));
    expect(stored.map((m) => m.json?.messageId).sort()).toEqual(['batch-ok-1', 'batch-ok-2']);
    expect(stored[0]?.json?.context).toEqual({ library: 'test' });
    expect((await call(`${api.url}/profiles/b2`, { key: tenant.adminKey })).body.traits).toEqual({ vip: true });
  });

  it('answers 200 with the count when the whole batch is valid', async () => {
    const batch = Array.from({ length: 20 }, (_, i) => ({ type: 'track', userId: `bulk${i}`, event: 'Bulk' }));
    expect(await call(`${api.url}/batch`, { key: tenant.writeKey, body: { batch } })).toMatchObject({
      status: 200,
      body: { success: true, accepted: 20 },
    });
  });

  it('refuses bad input with a reason: invalid message, bad JSON, too many or too large', async () => {
    const bad = await call(`${api.url}/track`, { key: tenant.writeKey, body: { userId: 'u', event: 42 } });
    expect(bad).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid_message', message: expect.stringMatching(/event/) } },
    });
    expect((await call(`${api.url}/track`, { key: tenant.writeKey, raw: '{"userId":' })).body.error.code).toBe(
      'invalid_json',
    );
    const tooMany = Array.from({ length: 501 }, () => ({ type: 'track', userId: 'u', event: 'e' }));
    const many = await call(`${api.url}/batch`, { key: tenant.writeKey, body: { batch: tooMany } });
    expect(many).toMatchObject({
      status: 400,
      body: { error: { details: [{ path: 'batch', message: 'at most 500 messages' }] } },
    });
    const huge = { batch: [{ type: 'track', userId: 'u', event: 'e', properties: { blob: 'x'.repeat(600 * 1024) } }] };
    expect((await call(`${api.url}/batch`, { key: tenant.writeKey, body: huge })).status).toBe(413);
    const bigTrack = { userId: 'u', event: 'e', properties: { blob: 'x'.repeat(40 * 1024) } };
    expect((await call(`${api.url}/track`, { key: tenant.writeKey, body: bigTrack })).status).toBe(413);
  });

  it('answers 401 without a valid key and 403 for a key of the wrong scope', async () => {
    const event = { userId: 'u', event: 'e' };
    const missing = await call(`${api.url}/track`, { body: event });
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Basic/);
    expect((await call(`${api.url}/track`, { key: 'tw_wk_not-a-real-key', body: event })).status).toBe(401);
    expect((await call(`${api.url}/track`, { key: tenant.adminKey, body: event })).status).toBe(403);
    expect((await call(`${api.url}/workflows`, { key: tenant.writeKey })).status).toBe(403);
  });

  it('stops accepting a key the moment it is revoked', async () => {
    const created = await call(`${api.url}/api-keys`, {
      key: tenant.adminKey,
      body: { name: 'short-lived', scope: 'ingest' },
    });
    expect(created.status).toBe(201);
    const event = { userId: 'u', event: 'e' };
    expect((await call(`${api.url}/track`, { key: created.body.key, body: event })).status).toBe(200);
    expect(
      (await call(`${api.url}/api-keys/${created.body.id}`, { method: 'DELETE', key: tenant.adminKey })).status,
    ).toBe(200);
    const after = await call(`${api.url}/track`, { key: created.body.key, body: event });
    expect(after).toMatchObject({ status: 401, body: { error: { message: 'Invalid or revoked API key' } } });
  });

  it("limits each tenant's rate with 429 and Retry-After, without touching other tenants", async () => {
    const slow = await newTenant(api, { ingestRatePerSecond: 1, ingestBurst: 2 });
    const event = { userId: 'r', event: 'e' };
    expect((await call(`${api.url}/track`, { key: slow.writeKey, body: event })).status).toBe(200);
    expect((await call(`${api.url}/track`, { key: slow.writeKey, body: event })).status).toBe(200);
    const limited = await call(`${api.url}/track`, { key: slow.writeKey, body: event });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await call(`${api.url}/track`, { key: other.writeKey, body: event })).status).toBe(200);
  });

  it('imports NDJSON, counting accepted and rejected lines with their numbers', async () => {
    const lines = [
      JSON.stringify({ type: 'track', userId: 'i1', event: 'Imported', messageId: 'imp-1' }),
      '',
      '{broken',
      JSON.stringify({ type: 'identify', userId: 'i1', traits: { imported: true }, messageId: 'imp-2' }),
      JSON.stringify({ type: 'track', userId: 'i2' }),
    ].join('\n');
    const res = await call(`${api.url}/import`, {
      key: tenant.writeKey,
      raw: lines,
      contentType: 'application/x-ndjson',
    });
    expect(res).toMatchObject({
      status: 200,
      body: {
        success: false,
        accepted: 2,
        rejected: 2,
        errors: [
          { line: 3, reason: 'not valid JSON' },
          { line: 5, reason: expect.stringContaining('event') },
        ],
      },
    });
    expect((await call(`${api.url}/profiles/i1`, { key: tenant.adminKey })).body.traits).toEqual({ imported: true });
  });

  it('rejects an oversized import line on its own, and paces an import at the workspace rate', async () => {
    const slow = await newTenant(api, { ingestRatePerSecond: 400, ingestBurst: 400 });
    const track = (i: number) => JSON.stringify({ type: 'track', userId: `p${i}`, event: 'Paced' });
    const lines = [track(0), JSON.stringify({ type: 'track', userId: 'big', event: 'x'.repeat(200_000) })];
    for (let i = 1; i <= 1000; i++) lines.push(track(i));
    const started = Date.now();
    const res = await call(`${api.url}/import`, {
      key: slow.writeKey,
      raw: lines.join('\n'),
      contentType: 'application/x-ndjson',
    });
    expect(res.body).toMatchObject({
      accepted: 1001,
      rejected: 1,
      errors: [{ line: 2, reason: 'line is over 32 KB' }],
    });
    // 1,001 events at 400/s with a burst of 400: at least 1.5 s.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    // Live ingestion keeps its own budget meanwhile.
    expect((await call(`${api.url}/track`, { key: slow.writeKey, body: JSON.parse(track(9)) })).status).toBe(200);
  });

  it('imports gzip-encoded NDJSON and a file that starts with a byte-order mark; refuses unknown encodings', async () => {
    const lines =
      ['\ufeff', ''].join('') +
      [1, 2, 3].map((i) => JSON.stringify({ type: 'track', userId: `z${i}`, event: 'Zipped' })).join('\n');
    const post = (body: Buffer | string, encoding?: string) =>
      fetch(`${api.url}/import`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${tenant.writeKey}`,
          'content-type': 'application/x-ndjson',
          ...(encoding ? { 'content-encoding': encoding } : {}),
        },
        body: typeof body === 'string' ? body : new Uint8Array(body),
      }).then(async (r) => ({ status: r.status, body: await r.json() }));
    expect(await post(gzipSync(lines), 'gzip')).toMatchObject({ status: 200, body: { accepted: 3, rejected: 0 } });
    expect(await post(lines)).toMatchObject({ status: 200, body: { accepted: 3, rejected: 0 } });
    expect(await post(lines, 'zstd-something')).toMatchObject({
      status: 415,
      body: { error: { code: 'unsupported_encoding' } },
    });
    const corrupt = Buffer.concat([gzipSync(lines).subarray(0, 20), Buffer.from('not gzip at all')]);
    expect(await post(corrupt, 'gzip')).toMatchObject({ status: 400, body: { error: { code: 'invalid_encoding' } } });
  });

  it('accepts a Bearer key after more than one space', async () => {
    const res = await call(`${api.url}/track`, {
      auth: `Bearer   ${tenant.writeKey}`,
      body: { userId: 'u', event: 'e' },
    });
    expect(res.status).toBe(200);
  });

  it('serves an OpenAPI 3.1 document describing every endpoint', async () => {
    const doc = await call(`${api.url}/openapi.json`);
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/track',
        '/identify',
        '/batch',
        '/import',
        '/profiles/{userId}',
        '/api-keys',
        '/workflows/{id}/rollback',
      ]),
    );
    expect(doc.body.components.schemas.TrackMessage.properties.event).toBeDefined();
  });
});
