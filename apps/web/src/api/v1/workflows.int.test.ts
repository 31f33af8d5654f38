import { withTenant, workflowVersionProblems } from '@tripwire/db';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, call, newTenant, startApi } from '../../../tests/support/api-fixture.ts';
import type { CreatedTenant } from '../../services/tenants.ts';

let api: ApiFixture;
let tenant: CreatedTenant;
let other: CreatedTenant;
let listener: pg.Client;
const notifications: { tenantId: string; workflowId: string; activeVersion: number | null }[] = [];

const flow = (name: string, event = 'signup') => ({
  name,
  nodes: [
    { id: 'start', type: 'trigger.event', config: { event }, position: { x: 0, y: 0 } },
    { id: 'log', type: 'action.log', config: { message: 'hello {{ event.userId }}' }, position: { x: 0, y: 120 } },
  ],
  edges: [{ id: 'e1', source: 'start', target: 'log' }],
});

async function notified(workflowId: string, activeVersion: number | null) {
  for (let i = 0; i < 50; i++) {
    if (notifications.some((n) => n.workflowId === workflowId && n.activeVersion === activeVersion)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

beforeAll(async () => {
  api = await startApi('workflows');
  tenant = await newTenant(api);
  other = await newTenant(api);
  listener = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await listener.connect();
  listener.on('notification', (msg) => notifications.push(JSON.parse(msg.payload ?? '{}')));
  await listener.query('LISTEN tripwire_workflows');
});
afterAll(async () => {
  await listener?.end();
  await api?.stop();
});

describe('workflows as code (admin key)', () => {
  it('creates, publishes, edits, republishes, rolls back, unpublishes and deletes, notifying engines', async () => {
    const key = tenant.adminKey;
    const created = await call(`${api.url}/workflows`, { key, body: flow('Welcome') });
    expect(created).toMatchObject({ status: 201, body: { validation: [] } });
    const id = created.body.id as string;
    expect((await call(`${api.url}/workflows/${id}`, { key })).body).toMatchObject({
      status: 'draft',
      activeVersion: null,
      document: flow('Welcome'),
    });

    expect(await call(`${api.url}/workflows/${id}/publish`, { method: 'POST', key })).toMatchObject({
      status: 200,
      body: { version: 1 },
    });
    expect(await notified(id, 1)).toBe(true);
    expect((await call(`${api.url}/workflows/${id}`, { key })).body.status).toBe('published');

    const edited = await call(`${api.url}/workflows/${id}`, {
      method: 'PUT',
      key,
      body: flow('Welcome v2', 'signed_up'),
    });
    expect(edited).toMatchObject({ status: 200, body: { validation: [] } });
    expect((await call(`${api.url}/workflows`, { key })).body.data).toEqual([
      expect.objectContaining({ id, name: 'Welcome v2', status: 'changed', activeVersion: 1, latestVersion: 1 }),
    ]);
    expect((await call(`${api.url}/workflows/${id}/publish`, { method: 'POST', key })).body).toEqual({ version: 2 });
    const versions = await call(`${api.url}/workflows/${id}/versions`, { key });
    expect(versions.body.data.map((v: { version: number; active: boolean }) => [v.version, v.active])).toEqual([
      [2, true],
      [1, false],
    ]);
    expect(versions.body.data[0].publishedByKey).toMatch(/^key:/);

    expect(await call(`${api.url}/workflows/${id}/rollback`, { key, body: { version: 1 } })).toMatchObject({
      status: 200,
      body: { activeVersion: 1 },
    });
    expect(await notified(id, 1)).toBe(true);
    const rolledBack = await call(`${api.url}/workflows/${id}`, { key });
    expect(rolledBack.body).toMatchObject({ activeVersion: 1, status: 'published', document: flow('Welcome') });
    expect((await call(`${api.url}/workflows/${id}/rollback`, { key, body: { version: 9 } })).status).toBe(404);

    expect((await call(`${api.url}/workflows/${id}/unpublish`, { method: 'POST', key })).body).toEqual({
      activeVersion: null,
    });
    expect(await notified(id, null)).toBe(true);
    expect((await call(`${api.url}/workflows/${id}`, { method: 'DELETE', key })).status).toBe(204);
    expect((await call(`${api.url}/workflows/${id}`, { key })).status).toBe(404);
  });

  it('refuses to publish an invalid flow with 422 and the errors per node, and publishes nothing', async () => {
    const key = tenant.adminKey;
    const broken = {
      name: 'Broken',
      nodes: [
        { id: 'start', type: 'trigger.event', config: { event: 'x' } },
        { id: 'hook', type: 'action.webhook', config: { url: 'ftp://example.com' } },
        { id: 'mystery', type: 'does.not.exist', config: {} },
      ],
      edges: [{ source: 'start', target: 'hook' }],
    };
    const created = await call(`${api.url}/workflows`, { key, body: broken });
    expect(created.status).toBe(201);
    expect(created.body.validation.length).toBeGreaterThan(0);
    const res = await call(`${api.url}/workflows/${created.body.id}/publish`, { method: 'POST', key });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('invalid_workflow');
    const nodeIds = res.body.error.details.map((e: { nodeId?: string }) => e.nodeId);
    expect(nodeIds).toEqual(expect.arrayContaining(['hook', 'mystery']));
    expect((await call(`${api.url}/workflows/${created.body.id}/versions`, { key })).body.data).toEqual([]);
  });

  it('shows why the engines do not run the live version, as they recorded it', async () => {
    const key = tenant.adminKey;
    const id = (await call(`${api.url}/workflows`, { key, body: flow('Refused') })).body.id as string;
    await call(`${api.url}/workflows/${id}/publish`, { method: 'POST', key });
    expect((await call(`${api.url}/workflows/${id}`, { key })).body.problems).toBeNull();
    const problems = [{ nodeId: 'log', code: 'node.unknown_version', message: 'action.log has no version 1' }];
    // What an engine writes when this release cannot run the version (apps/engine state/version-problems.ts).
    await withTenant(api.web.db, tenant.tenantId, (tx) =>
      tx.insert(workflowVersionProblems).values({ tenantId: tenant.tenantId, workflowId: id, version: 1, problems }),
    );
    expect((await call(`${api.url}/workflows/${id}`, { key })).body.problems).toEqual(problems);
    const listed = (await call(`${api.url}/workflows`, { key })).body.data.find((w: { id: string }) => w.id === id);
    expect(listed.problems).toEqual(problems);
    // Only the live version's problems count: after a new publish there are none.
    await call(`${api.url}/workflows/${id}/publish`, { method: 'POST', key });
    expect((await call(`${api.url}/workflows/${id}`, { key })).body.problems).toBeNull();
  });

  it('rejects a body that is not a workflow document with the reasons', async () => {
    const res = await call(`${api.url}/workflows`, { key: tenant.adminKey, body: { name: '', nodes: 'x' } });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toEqual(
      expect.arrayContaining(['name', 'nodes']),
    );
  });

  it("never shows or changes another tenant's workflows", async () => {
    const mine = await call(`${api.url}/workflows`, { key: tenant.adminKey, body: flow('Private') });
    const id = mine.body.id as string;
    const theirs = other.adminKey;
    expect((await call(`${api.url}/workflows/${id}`, { key: theirs })).status).toBe(404);
    expect(
      (await call(`${api.url}/workflows/${id}`, { method: 'PUT', key: theirs, body: flow('Hijacked') })).status,
    ).toBe(404);
    expect((await call(`${api.url}/workflows/${id}/publish`, { method: 'POST', key: theirs })).status).toBe(404);
    expect((await call(`${api.url}/workflows/${id}`, { method: 'DELETE', key: theirs })).status).toBe(404);
    expect((await call(`${api.url}/workflows`, { key: theirs })).body.data).toEqual([]);
    expect((await call(`${api.url}/workflows/${id}`, { key: tenant.adminKey })).body.name).toBe('Private');
  });
});

describe('API keys (admin key)', () => {
  it('lists keys by prefix and scope without secrets, and records last use', async () => {
    await call(`${api.url}/track`, { key: tenant.writeKey, body: { userId: 'k', event: 'e' } });
    let keys: { prefix: string; scope: string; lastUsedAt: string | null }[] = [];
    for (let i = 0; i < 40; i++) {
      keys = (await call(`${api.url}/api-keys`, { key: tenant.adminKey })).body.data;
      if (keys.find((k) => k.scope === 'ingest')?.lastUsedAt) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(keys.map((k) => k.scope).sort()).toEqual(['admin', 'ingest']);
    expect(keys.find((k) => k.scope === 'ingest')).toMatchObject({
      prefix: tenant.writeKey.slice(0, 12),
      lastUsedAt: expect.any(String),
    });
    expect(JSON.stringify(keys)).not.toContain(tenant.writeKey);
    expect(JSON.stringify(keys)).not.toContain('hash');
  });

  it("validates new keys and cannot revoke another tenant's key", async () => {
    expect(
      (await call(`${api.url}/api-keys`, { key: tenant.adminKey, body: { name: '', scope: 'root' } })).status,
    ).toBe(400);
    const created = await call(`${api.url}/api-keys`, { key: tenant.adminKey, body: { name: 'ci', scope: 'admin' } });
    expect(created.body.key).toMatch(/^tw_ak_/);
    expect(
      (await call(`${api.url}/api-keys/${created.body.id}`, { method: 'DELETE', key: other.adminKey })).status,
    ).toBe(404);
    expect((await call(`${api.url}/workflows`, { key: created.body.key })).status).toBe(200);
  });

  it('answers unknown endpoints with a JSON 404', async () => {
    expect(await call(`${api.url}/nope`, { key: tenant.adminKey })).toMatchObject({
      status: 404,
      body: { error: { code: 'not_found' } },
    });
  });
});
