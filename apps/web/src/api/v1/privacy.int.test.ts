import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, call, newTenant, startApi } from '../../../tests/support/api-fixture.ts';
import type { CreatedTenant } from '../../services/tenants.ts';

let api: ApiFixture;
let tenant: CreatedTenant;
let other: CreatedTenant;

beforeAll(async () => {
  api = await startApi('privacy');
  tenant = await newTenant(api);
  other = await newTenant(api);
});
afterAll(() => api?.stop());

const admin = () => tenant.adminKey;

describe('consent over /v1', () => {
  it('keeps the workspace’s categories and default, refusing bad ones with a reason', async () => {
    const put = (body: unknown) => call(`${api.url}/consent/settings`, { method: 'PUT', key: admin(), body });
    expect((await call(`${api.url}/consent/settings`, { key: admin() })).body).toEqual({
      categories: [],
      defaultCategory: null,
    });
    const bad = await put({ categories: ['marketing', 'Has Spaces'], defaultCategory: 'ads' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'categories.1', message: expect.stringContaining('lower-case letters') }),
      ]),
    );
    const notListed = await put({ categories: ['marketing'], defaultCategory: 'ads' });
    expect(notListed.body.error.details).toEqual([
      { path: 'defaultCategory', message: expect.stringContaining('must be one of the categories') },
    ]);
    const ok = await put({ categories: ['Marketing', 'analytics'], defaultCategory: 'marketing' });
    expect(ok).toMatchObject({
      status: 200,
      body: { categories: ['marketing', 'analytics'], defaultCategory: 'marketing' },
    });
    // An ingest key is not enough.
    expect((await call(`${api.url}/consent/settings`, { key: tenant.writeKey })).status).toBe(403);
  });

  it('takes Segment’s context.consent.categoryPreferences from identify and track, newest answer wins', async () => {
    const user = `c-${randomUUID()}`;
    const consent = (prefs: Record<string, unknown>) => ({ consent: { categoryPreferences: prefs } });
    await call(`${api.url}/identify`, {
      key: tenant.writeKey,
      body: { userId: user, traits: {}, context: consent({ Marketing: true, Analytics: true }) },
    });
    await call(`${api.url}/track`, {
      key: tenant.writeKey,
      body: { userId: user, event: 'Consent Changed', context: consent({ Analytics: false, junk: 'yes' }) },
    });
    const got = await call(`${api.url}/users/${user}/consent`, { key: admin() });
    expect(got.body).toMatchObject({ userId: user, categoryPreferences: { marketing: true, analytics: false } });
    // The other workspace knows nothing of it.
    const theirs = await call(`${api.url}/users/${user}/consent`, { key: other.adminKey });
    expect(theirs.body.categoryPreferences).toEqual({});
  });

  it('sets a user’s consent through the API, with clear reasons for bad input', async () => {
    const user = `api-${randomUUID()}`;
    const put = (body: unknown) => call(`${api.url}/users/${user}/consent`, { method: 'PUT', key: admin(), body });
    expect((await put({ categoryPreferences: { marketing: 'yes' } })).body.error.details[0].message).toContain(
      'true (granted) or false (withdrawn)',
    );
    expect((await put({ categoryPreferences: {} })).body.error.details[0].message).toBe('name at least one category');
    const ok = await put({ categoryPreferences: { marketing: true } });
    expect(ok).toMatchObject({ status: 200, body: { userId: user, categoryPreferences: { marketing: true } } });
  });
});

describe('DELETE /v1/users/:userId', () => {
  it('deletes the profile and consent, records counts (not the data), and drops the user’s later events', async () => {
    const user = `del-${randomUUID()}`;
    await call(`${api.url}/identify`, {
      key: tenant.writeKey,
      body: {
        userId: user,
        traits: { email: 'x@example.com' },
        context: { consent: { categoryPreferences: { marketing: true } } },
      },
    });
    expect((await call(`${api.url}/users/${user}`, { method: 'DELETE', key: tenant.writeKey })).status).toBe(403);
    const deleted = await call(`${api.url}/users/${user}`, { method: 'DELETE', key: admin() });
    expect(deleted).toMatchObject({
      status: 200,
      body: { deleted: true, suppressed: true, counts: { profiles: 1, consent: 1, runs: 0 } },
    });
    expect(deleted.body.requestedBy).toMatch(/^api key /);
    expect((await call(`${api.url}/profiles/${user}`, { key: admin() })).status).toBe(404);
    const log = await call(`${api.url}/user-deletions`, { key: admin() });
    expect(log.body.data[0]).toMatchObject({ id: deleted.body.id, counts: deleted.body.counts });
    expect(JSON.stringify(log.body)).not.toContain(user);

    // Suppressed: accepted by the API (as Segment does), but nothing is stored or produced.
    const marker = `after-${randomUUID()}`;
    await call(`${api.url}/identify`, { key: tenant.writeKey, body: { userId: user, traits: { marker } } });
    await call(`${api.url}/track`, { key: tenant.writeKey, body: { userId: 'someone-else', event: marker } });
    // This file produced 4 messages that were not suppressed (2 with consent, the identify before
    // the deletion, someone else's track): a 5th would be the suppressed one.
    await expect(api.kafka.read(api.topic, 5, 4000)).rejects.toThrow('read 4 of 5');
    const produced = await api.kafka.read(api.topic, 4);
    expect(produced.filter((m) => JSON.stringify(m.json).includes(marker)).map((m) => m.json?.userId)).toEqual([
      'someone-else',
    ]);
    expect((await call(`${api.url}/profiles/${user}`, { key: admin() })).status).toBe(404);
    const refused = await call(`${api.url}/users/${user}/consent`, {
      method: 'PUT',
      key: admin(),
      body: { categoryPreferences: { marketing: true } },
    });
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'suppressed' } } });

    // Lifted: the id is an ordinary user again.
    expect((await call(`${api.url}/users/${user}/suppression`, { method: 'DELETE', key: admin() })).status).toBe(200);
    expect((await call(`${api.url}/users/${user}/suppression`, { method: 'DELETE', key: admin() })).status).toBe(404);
    await call(`${api.url}/identify`, { key: tenant.writeKey, body: { userId: user, traits: { back: true } } });
    expect((await call(`${api.url}/profiles/${user}`, { key: admin() })).body.traits).toEqual({ back: true });
  });

  it('refuses an over-long user id with a reason', async () => {
    const res = await call(`${api.url}/users/${'x'.repeat(300)}`, { method: 'DELETE', key: admin() });
    expect(res).toMatchObject({ status: 400, body: { error: { code: 'invalid_user_id' } } });
  });
});
