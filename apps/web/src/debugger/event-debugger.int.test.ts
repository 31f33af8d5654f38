import { randomUUID } from 'node:crypto';
import { runs, withTenant } from '@tripwire/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, call, newTenant, startApi } from '../../tests/support/api-fixture.ts';
import { signUpOwner, trpcBrowser } from '../../tests/support/trpc-session.ts';
import { recentRejections } from './activity.ts';

// The event debugger's server side against the real Kafka and Postgres: /v1/track -> Kafka ->
// the web's tail -> server-sent events for that workspace only; refused attempts are recorded.
let api: ApiFixture;
let base: string;
beforeAll(async () => {
  api = await startApi('event-debugger');
  base = api.url.replace(/\/v1$/, '');
});
afterAll(() => api?.stop());

interface Frame {
  event: string;
  data: unknown;
  at: number;
}

/** Opens /live/events with a session cookie and collects its frames until closed. */
async function watch(cookie: string, query = '') {
  const controller = new AbortController();
  const res = await fetch(`${base}/live/events${query}`, { headers: { cookie }, signal: controller.signal });
  const frames: Frame[] = [];
  const done = (async () => {
    if (!res.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      const reader = res.body.getReader();
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
        buffer += decoder.decode(chunk.value, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (data !== undefined) frames.push({ event, data: JSON.parse(data), at: Date.now() });
          end = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // aborted
    }
  })();
  const until = async (probe: () => boolean, ms = 10_000) => {
    const deadline = Date.now() + ms;
    while (!probe()) {
      if (Date.now() > deadline) throw new Error(`not seen within ${ms} ms: ${JSON.stringify(frames)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return {
    res,
    frames,
    messages: () => frames.filter((f) => f.event === 'message').map((f) => f.data as Record<string, unknown>),
    until,
    close: async () => {
      controller.abort();
      await done;
    },
  };
}

async function workspaceWithKey(name: string) {
  const owner = await signUpOwner(api, name);
  const key = await (await owner.b.caller()).keys.create({ name: 'test', scope: 'ingest' });
  return { ...owner, writeKey: key.key, cookie: owner.b.cookie() };
}

describe('event debugger stream (real Kafka)', () => {
  it("streams a workspace's own events within 2 s, filtered, and never another workspace's", async () => {
    const mine = await workspaceWithKey('Mine');
    const theirs = await workspaceWithKey('Theirs');
    const all = await watch(mine.cookie);
    const filtered = await watch(mine.cookie, '?event=check&user=ANN');
    const other = await watch(theirs.cookie);
    expect(all.res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    await all.until(() =>
      all.frames.some((f) => f.event === 'ready' || (f.event === 'hello' && (f.data as { live: boolean }).live)),
    );

    const sentAt = Date.now();
    const tracked = await call(`${api.url}/track`, {
      key: mine.writeKey,
      body: { userId: 'ann', event: 'checkout', properties: { total: 42, items: ['a'] } },
    });
    expect(tracked.status).toBe(200);
    await call(`${api.url}/track`, { key: mine.writeKey, body: { userId: 'bob', event: 'checkout' } });
    await call(`${api.url}/identify`, { key: mine.writeKey, body: { userId: 'ann', traits: { plan: 'pro' } } });
    await all.until(() => all.messages().length >= 3);
    const first = all.frames.find((f) => f.event === 'message');
    expect((first?.at ?? Infinity) - sentAt).toBeLessThan(2000);
    expect(all.messages()[0]).toMatchObject({
      messageId: tracked.body.messageId,
      type: 'track',
      name: 'checkout',
      userId: 'ann',
      data: JSON.stringify({ total: 42, items: ['a'] }),
      truncated: false,
    });
    expect(all.messages()[2]).toMatchObject({ type: 'identify', userId: 'ann', data: '{"plan":"pro"}' });
    await filtered.until(() => filtered.messages().length >= 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(filtered.messages().map((m) => m.userId)).toEqual(['ann']);
    expect(other.messages()).toEqual([]);
    expect(api.web.hub.viewers()).toBe(3);
    await Promise.all([all.close(), filtered.close(), other.close()]);
    await new Promise((r) => setTimeout(r, 100));
    expect(api.web.hub.viewers()).toBe(0);
  });

  it('refuses people who are not signed in', async () => {
    const res = await fetch(`${base}/live/events`);
    expect(res.status).toBe(401);
    const signedOut = trpcBrowser(api);
    expect((await fetch(`${base}/live/events`, { headers: { cookie: signedOut.cookie() } })).status).toBe(401);
  });

  it('tells which workflows an event started', async () => {
    const mine = await workspaceWithKey('Runs');
    const caller = await mine.b.caller();
    const wf = await caller.workflows.create({ name: 'Welcome' });
    await withTenant(api.web.db, mine.tenantId, (tx) =>
      tx.insert(runs).values({
        tenantId: mine.tenantId,
        id: randomUUID(),
        workflowId: wf.id,
        version: 1,
        userId: 'ann',
        triggerEvent: { messageId: 'm-1', name: 'signup' },
        status: 'completed',
      }),
    );
    expect(await caller.eventDebugger.triggered({ messageIds: ['m-1', 'm-2'] })).toEqual([
      expect.objectContaining({ messageId: 'm-1', workflowName: 'Welcome', status: 'completed' }),
    ]);
    const theirs = await signUpOwner(api, 'Nosy');
    expect(await (await theirs.b.caller()).eventDebugger.triggered({ messageIds: ['m-1'] })).toEqual([]);
  });
});

describe('refused ingestion attempts', () => {
  it('records 400, 401 (by key prefix), 413 and 429 for the workspace, off the request path', async () => {
    const tenant = await newTenant(api, { ingestRatePerSecond: 1, ingestBurst: 2 });
    const track = (key: string, body: unknown) => call(`${api.url}/track`, { key, body });
    expect((await track(tenant.writeKey, { event: 'x' })).status).toBe(400);
    expect(
      (await track(tenant.writeKey, { userId: 'u', event: 'x', properties: { p: 'x'.repeat(40_000) } })).status,
    ).toBe(413);
    // The right prefix with a wrong tail: a mistyped or revoked key of this workspace.
    expect((await track(`${tenant.writeKey.slice(0, 12)}${'A'.repeat(32)}`, { userId: 'u', event: 'x' })).status).toBe(
      401,
    );
    // A random key names nobody.
    expect((await track(`tw_wk_${randomUUID()}`, { userId: 'u', event: 'x' })).status).toBe(401);
    const batch = await call(`${api.url}/batch`, {
      key: tenant.writeKey,
      body: {
        batch: [
          { type: 'track', userId: 'u', event: 'ok' },
          { type: 'track', event: 'no user' },
        ],
      },
    });
    expect(batch.status).toBe(400);
    for (let i = 0; i < 3; i++) await track(tenant.writeKey, { userId: 'u', event: 'fast' });

    await api.web.rejections.flush();
    const rows = await withTenant(api.web.db, tenant.tenantId, (tx) => recentRejections(tx, tenant.tenantId));
    const seen = rows.map((r) => `${r.status} ${r.code} ${r.endpoint} ${r.count}`).sort();
    expect(seen).toEqual([
      '400 invalid_message /v1/track 1',
      '400 invalid_messages /v1/batch 1',
      '401 unauthorized /v1/track 1',
      '413 payload_too_large /v1/track 1',
      expect.stringMatching(/^429 rate_limited \/v1\/track [12]$/),
    ]);
    const unauthorized = rows.find((r) => r.status === 401);
    expect(unauthorized).toMatchObject({
      keyPrefix: tenant.writeKey.slice(0, 12),
      reason: 'Invalid or revoked API key',
    });
    expect(rows.find((r) => r.status === 400 && r.endpoint === '/v1/track')?.reason).toMatch(/userId or anonymousId/);
    // Nothing of the key beyond its visible prefix is kept.
    expect(JSON.stringify(rows)).not.toContain(tenant.writeKey);

    // The same reason in the same minute adds to one row.
    await track(tenant.writeKey, { event: 'x' });
    await api.web.rejections.flush();
    const again = await withTenant(api.web.db, tenant.tenantId, (tx) => recentRejections(tx, tenant.tenantId));
    expect(again.find((r) => r.code === 'invalid_message')?.count).toBe(2);
  });

  it('keeps at most the cap per workspace and forgets after an hour', async () => {
    const { createRejectionRecorder } = await import('./rejection-recorder.ts');
    const tenant = await newTenant(api);
    const recorder = createRejectionRecorder({ db: api.web.db, maxRowsPerTenant: 3 });
    for (let i = 0; i < 6; i++)
      recorder.record({
        tenantId: tenant.tenantId,
        status: 400,
        code: 'invalid_message',
        reason: `r${i}`,
        endpoint: '/v1/track',
      });
    await recorder.flush();
    const read = () => withTenant(api.web.db, tenant.tenantId, (tx) => recentRejections(tx, tenant.tenantId));
    expect(await read()).toHaveLength(3);
    const old = createRejectionRecorder({ db: api.web.db, retentionMs: -60_000 });
    await old.prune();
    expect(await read()).toHaveLength(0);
  });
});
