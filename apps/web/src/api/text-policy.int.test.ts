import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, call, newTenant, startApi } from '../../tests/support/api-fixture.ts';
import type { CreatedTenant } from '../services/tenants.ts';
import { appRouter } from '../trpc/router.ts';

// Issue 16: NUL characters and unpaired surrogates gave 500s wherever they reached Postgres (91 of
// 94 server errors), a year-0000 date too. Every entry point now applies the shared text policy:
// 400 naming the field, or, in ingested property/trait/context values, U+FFFD in their place.

let api: ApiFixture;
let tenant: CreatedTenant;
beforeAll(async () => {
  api = await startApi('text-policy');
  tenant = await newTenant(api);
});
afterAll(() => api?.stop());

const NUL = '\u0000';
const LONE = '\ud800';
const track = (userId: string, extra: Record<string, unknown> = {}) => ({ userId, event: 'Typed', ...extra });

describe('text and dates Postgres cannot store, at the public API (real Kafka and Postgres)', () => {
  it.each([
    ['userId', track(`u${NUL}`), 'userId: contains a NUL character'],
    ['messageId', track('u', { messageId: `m${LONE}` }), 'messageId: contains an unpaired UTF-16 surrogate'],
    ['a property key', track('u', { properties: { [`k${NUL}`]: 1 } }), 'properties.k\\u0000: this key contains'],
    ['a year-0000 timestamp', track('u', { timestamp: '0000-01-01T00:00:00Z' }), 'timestamp: must be a date between'],
  ])('/v1/track refuses %s with a 400 naming the field', async (_what, body, reason) => {
    const res = await call(`${api.url}/track`, { key: tenant.writeKey, body });
    expect(res).toMatchObject({ status: 400, body: { error: { code: 'invalid_message' } } });
    expect(res.body.error.message).toContain(reason);
  });

  it('/v1/identify keeps traits whose values held bad text, with U+FFFD in its place', async () => {
    const traits = { name: `Zo${NUL}e`, tags: [`vip${LONE}`] };
    expect(
      (await call(`${api.url}/identify`, { key: tenant.writeKey, body: { userId: 'clean', traits } })).status,
    ).toBe(200);
    const profile = await call(`${api.url}/profiles/clean`, { key: tenant.adminKey });
    expect(profile.body.traits).toEqual({ name: 'Zo\ufffde', tags: ['vip\ufffd'] });
  });

  it('/v1/batch stores the good messages and rejects only the bad one', async () => {
    const batch = [
      { type: 'track', ...track('b1'), messageId: `ok-${randomUUID()}` },
      { type: 'identify', userId: `b${NUL}`, traits: {} },
      { type: 'track', ...track('b2'), messageId: `ok-${randomUUID()}` },
    ];
    const res = await call(`${api.url}/batch`, { key: tenant.writeKey, body: { batch } });
    expect(res).toMatchObject({ status: 400, body: { accepted: 2, rejected: [{ index: 1 }] } });
    expect(res.body.rejected[0].reason).toContain('userId: contains a NUL character');
  });

  it('/v1/import reports the bad line and stores every other line', async () => {
    const tenantForImport = await newTenant(api);
    const lines = Array.from({ length: 700 }, (_, i) => JSON.stringify({ type: 'track', ...track(`i${i}`) }));
    lines[600] = JSON.stringify({ type: 'identify', userId: 'i600', traits: { [`bad${LONE}`]: 1 } });
    const res = await call(`${api.url}/import`, {
      key: tenantForImport.writeKey,
      raw: lines.join('\n'),
      contentType: 'application/x-ndjson',
    });
    expect(res).toMatchObject({ status: 200, body: { accepted: 699, rejected: 1, errors: [{ line: 601 }] } });
    expect(res.body.errors[0].reason).toContain('traits.bad\\ud800: this key contains an unpaired UTF-16 surrogate');
  });

  it('refuses bad text in addresses, queries and admin bodies, and dates out of range', async () => {
    const path = await call(`${api.url}/profiles/%00`, { key: tenant.adminKey });
    expect(path).toMatchObject({ status: 400, body: { error: { message: expect.stringContaining('NUL character') } } });
    expect((await call(`${api.url}/profiles/%ED%A0%80`, { key: tenant.adminKey })).status).toBe(400);
    const query = await call(`${api.url}/dead-letters?limit=5&x=%00`, { key: tenant.adminKey });
    expect(query.status).toBe(400);
    const before = await call(`${api.url}/dead-letters?before=0000-01-01T00:00:00Z`, { key: tenant.adminKey });
    expect(before).toMatchObject({
      status: 400,
      body: { error: { details: [{ path: 'before', message: expect.stringContaining('between the years') }] } },
    });
    const key = await call(`${api.url}/api-keys`, { key: tenant.adminKey, body: { name: `k${NUL}`, scope: 'ingest' } });
    expect(key).toMatchObject({ status: 400, body: { error: { details: [{ path: 'name' }] } } });
    const doc = {
      name: 'w',
      nodes: [{ id: 't', type: 'trigger.event', config: { event: `sign${LONE}up` } }],
      edges: [],
    };
    const workflow = await call(`${api.url}/workflows`, { key: tenant.adminKey, body: doc });
    expect(workflow).toMatchObject({
      status: 400,
      body: { error: { details: [{ path: 'nodes.0.config.event', message: expect.stringContaining('surrogate') }] } },
    });
  });
});

describe('text Postgres cannot store, at tRPC', () => {
  /** A signed-in browser's caller, as tRPC sees it. */
  async function signedIn() {
    const jar = new Map<string, string>();
    const ip = `10.9.${Math.floor(Math.random() * 250)}.1`;
    const caller = async () =>
      appRouter.createCaller(
        await api.web.createContext({
          req: { headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') }, ip } as unknown as Request,
          res: {
            append: (_name: string, value: string) => {
              const [name, ...rest] = (value.split(';')[0] ?? '').split('=');
              if (name) jar.set(name, rest.join('='));
            },
          } as unknown as Response,
        }),
      );
    await (await caller()).auth.signUp({
      email: `text-${randomUUID().slice(0, 8)}@example.com`,
      password: 'violet-harbor-88-kite',
      name: 'Olive',
      workspace: 'Texts',
    });
    return caller;
  }

  it('answers BAD_REQUEST with the field for workflows, workspaces and keys', async () => {
    const caller = await signedIn();
    const refused = async (p: Promise<unknown>) =>
      p.then(
        () => 'stored',
        (e: { code?: string; cause?: { issues?: { path: unknown[] }[] } }) => [e.code, e.cause?.issues?.[0]?.path],
      );
    const c = await caller();
    expect(await refused(c.workflows.create({ name: `w${NUL}` }))).toEqual(['BAD_REQUEST', ['name']]);
    const { id } = await c.workflows.create({ name: 'fine' });
    expect(await refused(c.workflows.rename({ id, name: `w${LONE}` }))).toEqual(['BAD_REQUEST', ['name']]);
    const document = {
      name: 'fine',
      nodes: [{ id: 't', type: 'trigger.event', config: { [`e${NUL}`]: 1 } }],
      edges: [],
    };
    expect(await refused(c.workflows.saveDraft({ id, document }))).toEqual([
      'BAD_REQUEST',
      ['document', 'nodes', 0, 'config', `e${NUL}`],
    ]);
    expect(await refused(c.tenants.create({ name: `t${NUL}` }))).toEqual(['BAD_REQUEST', ['name']]);
    expect(await refused(c.tenants.rename({ name: `t${LONE}` }))).toEqual(['BAD_REQUEST', ['name']]);
    expect(await refused(c.keys.create({ name: `k${NUL}`, scope: 'ingest' }))).toEqual(['BAD_REQUEST', ['name']]);
  });
});
