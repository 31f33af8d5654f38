import { withTenant } from '@tripwire/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, call, newTenant, startApi } from '../../../tests/support/api-fixture.ts';
import { recentRejections } from '../../debugger/activity.ts';
import { createTrackingPlanCache } from '../../ingest/tracking-plan-check.ts';
import type { CreatedTenant } from '../../services/tenants.ts';

let api: ApiFixture;
beforeAll(async () => {
  api = await startApi('tracking-plan');
});
afterAll(() => api?.stop());

const schema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $defs: {
    'Order Completed': {
      type: 'object',
      properties: {
        total: { type: 'number' },
        currency: { type: 'string', enum: ['EUR', 'USD'] },
        note: { type: 'string' },
      },
      required: ['total'],
      additionalProperties: true,
    },
  },
};
const bad = { total: '12', currency: 'GBP', note: 'kept' };
const good = { total: 12, currency: 'EUR' };

async function withPlan(mode: string): Promise<CreatedTenant> {
  const tenant = await newTenant(api);
  const put = await call(`${api.url}/tracking-plan`, { method: 'PUT', key: tenant.adminKey, body: { mode, schema } });
  expect(put.status).toBe(200);
  return tenant;
}
const track = (tenant: CreatedTenant, messageId: string, properties: object) =>
  call(`${api.url}/track`, {
    key: tenant.writeKey,
    body: { userId: 'u1', event: 'Order Completed', messageId, properties },
  });

describe('tracking plan over /v1', () => {
  it('imports and exports JSON Schema per workspace, refusing what it cannot enforce with reasons', async () => {
    const tenant = await newTenant(api);
    const url = `${api.url}/tracking-plan`;
    expect((await call(url, { key: tenant.adminKey })).body).toMatchObject({ mode: 'flag', schema: { $defs: {} } });
    const put = (body: unknown, key = tenant.adminKey) => call(url, { method: 'PUT', key, body });

    const saved = await put({ mode: 'reject', schema });
    expect(saved.status).toBe(200);
    const got = await call(url, { key: tenant.adminKey });
    expect(got.body).toMatchObject({ mode: 'reject', schema: { $defs: schema.$defs } });

    const wrongMode = await put({ mode: 'ignore', schema });
    expect(wrongMode.status).toBe(400);
    expect(wrongMode.body.error.details).toEqual([{ path: 'mode', message: '“mode” is one of flag, drop, reject' }]);
    const pattern = await put({
      mode: 'flag',
      schema: { $defs: { A: { type: 'object', properties: { x: { type: 'string', pattern: '^a' } } } } },
    });
    expect(pattern.status).toBe(400);
    expect(pattern.body.error.details[0]).toEqual({
      path: 'schema.$defs.A.properties.x',
      message: 'Only type, enum and description are supported here (not pattern)',
    });
    const wrongEnum = await put({
      mode: 'flag',
      schema: { $defs: { A: { properties: { n: { type: 'number', enum: ['one'] } } } } },
    });
    expect(wrongEnum.body.error.details[0].message).toBe('Allowed values of “n” must all be of type number');
    expect((await put({ mode: 'flag', schema }, tenant.writeKey)).status).toBe(403);
    // Nothing refused replaced what was saved.
    expect((await call(url, { key: tenant.adminKey })).body.mode).toBe('reject');

    const other = await newTenant(api);
    expect((await call(url, { key: other.adminKey })).body.schema.$defs).toEqual({});
  });

  it('flags, drops or rejects violating events as each workspace chose, shown in the event debugger', async () => {
    const flag = await withPlan('flag');
    const drop = await withPlan('drop');
    const reject = await withPlan('reject');

    expect((await track(flag, 'flag-bad', bad)).status).toBe(200);
    expect((await track(flag, 'flag-good', good)).status).toBe(200);
    expect((await track(drop, 'drop-bad', bad)).status).toBe(200);
    expect((await track(drop, 'drop-good', good)).status).toBe(200);
    const refused = await track(reject, 'reject-bad', bad);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'plan_violation' });
    expect(refused.body.error.message).toContain('“total” should be a number, got "12"');
    expect(refused.body.error.message).toContain('“currency” should be one of "EUR", "USD", got "GBP"');
    expect((await track(reject, 'reject-good', good)).status).toBe(200);
    const batch = await call(`${api.url}/batch`, {
      key: reject.writeKey,
      body: {
        batch: [
          { type: 'track', userId: 'u2', event: 'Order Completed', messageId: 'batch-bad', properties: {} },
          { type: 'track', userId: 'u2', event: 'Order Completed', messageId: 'batch-good', properties: good },
          { type: 'track', userId: 'u2', event: 'Not In Plan', messageId: 'batch-free', properties: { any: 1 } },
        ],
      },
    });
    expect(batch.status).toBe(400);
    expect(batch.body).toMatchObject({
      accepted: 2,
      rejected: [{ index: 0, messageId: 'batch-bad', reason: expect.stringContaining('“total” is required') }],
    });

    const stored = new Map(
      (await api.kafka.read(api.topic, 7)).map((m) => [m.json?.messageId as string, m.json?.properties]),
    );
    expect([...stored.keys()].sort()).toEqual(
      ['batch-free', 'batch-good', 'drop-bad', 'drop-good', 'flag-bad', 'flag-good', 'reject-good'].sort(),
    );
    expect(stored.get('flag-bad')).toEqual(bad);
    expect(stored.get('drop-bad')).toEqual({ note: 'kept' });
    expect(stored.get('drop-good')).toEqual(good);

    await api.web.rejections.flush();
    const debuggerRows = (tenant: CreatedTenant) =>
      withTenant(api.web.db, tenant.tenantId, (tx) => recentRejections(tx, tenant.tenantId));
    expect(await debuggerRows(flag)).toEqual([
      expect.objectContaining({ status: 202, code: 'plan_violation', reason: expect.stringContaining('“total”') }),
    ]);
    expect((await debuggerRows(drop))[0]?.reason).toMatch(/^dropped “total”, “currency”/);
    expect((await debuggerRows(reject)).map((r) => `${r.status} ${r.code} ${r.endpoint}`).sort()).toEqual([
      '400 invalid_messages /v1/batch',
      '400 plan_violation /v1/track',
    ]);
  });

  it('keeps a compiled plan while it is unchanged and picks up a saved change', async () => {
    const tenant = await withPlan('flag');
    const cache = createTrackingPlanCache(api.web.db, 0);
    const first = await cache.get(tenant.tenantId);
    expect(first?.mode).toBe('flag');
    expect(await cache.get(tenant.tenantId)).toBe(first);
    const put = await call(`${api.url}/tracking-plan`, {
      method: 'PUT',
      key: tenant.adminKey,
      body: { mode: 'drop', schema },
    });
    expect(put.status).toBe(200);
    const next = await cache.get(tenant.tenantId);
    expect(next).not.toBe(first);
    expect(next?.mode).toBe('drop');
    expect(await cache.get((await newTenant(api)).tenantId)).toBeUndefined();
  });
});
