import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhook } from '@tripwire/platform';
import { type EngineProcess, startEngineProcess } from '@tripwire/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiFixture, call, newTenant, startApi } from '../../../tests/support/api-fixture.ts';
import type { CreatedTenant } from '../../services/tenants.ts';

// The whole path: /v1/track -> Kafka -> engine (a real child process) -> webhook that keeps
// failing -> dead letter -> fixed receiver -> POST /v1/dead-letters/:id/replay -> delivered.
let api: ApiFixture;
let engine: EngineProcess;
let tenant: CreatedTenant;
let other: CreatedTenant;
let healthy = false;
let jobsSchema = '';
const deliveries: { headers: IncomingHttpHeaders; body: string }[] = [];
const attempts: string[] = [];
const receiver = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => {
    body += c;
  });
  req.on('end', () => {
    attempts.push(String(req.headers['webhook-id']));
    if (healthy) deliveries.push({ headers: req.headers, body });
    res.writeHead(healthy ? 200 : 503).end();
  });
});

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what} not met within ${ms} ms\n${engine?.output().slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', () => resolve()));
  jobsSchema = `pgboss_w_${randomBytes(5).toString('hex')}`;
  api = await startApi('dead-letters', { JOBS_SCHEMA: jobsSchema });
  engine = await startEngineProcess({
    EVENTS_TOPIC: api.topic,
    DLQ_TOPIC: 'tripwire.events.dlq',
    KAFKA_GROUP_ID: `test-${randomUUID()}`,
    JOBS_SCHEMA: jobsSchema,
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    ACTION_RETRY_LIMIT: '1',
    ACTION_RETRY_DELAY_SECONDS: '1',
  });
  tenant = await newTenant(api);
  other = await newTenant(api);
}, 90_000);
afterAll(async () => {
  await engine?.stop();
  await api?.web.db.execute(sql.raw(`drop schema if exists ${jobsSchema} cascade`)).catch(() => {});
  await api?.stop();
  receiver.close();
});

describe('dead letters and replay (web API + engine process)', () => {
  it('files a failing webhook as a dead letter and delivers it on replay with the same webhook-id', async () => {
    const { port } = receiver.address() as AddressInfo;
    const flow = {
      name: 'Order alert',
      nodes: [
        { id: 'start', type: 'trigger.event', config: { event: 'order_failed' } },
        {
          id: 'hook',
          type: 'action.webhook',
          config: {
            url: `http://127.0.0.1:${port}/orders`,
            headers: { 'x-api-token': 'receiver-secret' },
            body: { order: '{{ event.properties.order }}' },
          },
        },
      ],
      edges: [{ source: 'start', target: 'hook' }],
    };
    const created = await call(`${api.url}/workflows`, { key: tenant.adminKey, body: flow });
    expect(
      (await call(`${api.url}/workflows/${created.body.id}/publish`, { method: 'POST', key: tenant.adminKey })).status,
    ).toBe(200);
    // The engine reloads on NOTIFY; give it a moment, then send the event through ingestion.
    await new Promise((r) => setTimeout(r, 1000));
    expect(
      (
        await call(`${api.url}/track`, {
          key: tenant.writeKey,
          body: { userId: 'u1', event: 'order_failed', properties: { order: 'A-1' } },
        })
      ).status,
    ).toBe(200);

    const [dead] = await until(
      async () => {
        const list = await call(`${api.url}/dead-letters`, { key: tenant.adminKey });
        return list.body.data.length > 0 ? list.body.data : undefined;
      },
      45_000,
      'dead letter',
    );
    expect(dead).toMatchObject({ queue: 'action.webhook.v1', attempts: 2, nodeId: 'hook', replayedAt: null });
    expect(dead.error).toMatch(/503/);
    // Header values can be the receiver's credentials; the list shows names only.
    expect(dead.data.config.headers).toEqual({ 'x-api-token': '[redacted]' });
    expect(deliveries).toHaveLength(0);

    // Another tenant neither sees nor replays it.
    expect((await call(`${api.url}/dead-letters`, { key: other.adminKey })).body.data).toEqual([]);
    expect(
      (await call(`${api.url}/dead-letters/${dead.id}/replay`, { method: 'POST', key: other.adminKey })).status,
    ).toBe(404);

    healthy = true;
    const replay = await call(`${api.url}/dead-letters/${dead.id}/replay`, { method: 'POST', key: tenant.adminKey });
    expect(replay.status).toBe(202);
    const [delivery] = await until(() => (deliveries.length ? deliveries : undefined), 20_000, 'replayed delivery');
    expect(JSON.parse(delivery?.body ?? '{}')).toEqual({ order: 'A-1' });
    expect(delivery?.headers['x-api-token']).toBe('receiver-secret');
    expect(
      verifyWebhook({ headers: delivery?.headers ?? {}, body: delivery?.body ?? '', secret: tenant.signingSecret }).ok,
    ).toBe(true);
    expect(new Set(attempts).size).toBe(1);

    const again = await call(`${api.url}/dead-letters/${dead.id}/replay`, { method: 'POST', key: tenant.adminKey });
    expect(again.status).toBe(409);
    const listed = await call(`${api.url}/dead-letters`, { key: tenant.adminKey });
    expect(listed.body.data[0].replayedAt).not.toBeNull();
    // Who replayed it is recorded: the admin key, by its visible prefix.
    const replayed = await call(`${api.url}/dead-letters?state=replayed`, { key: tenant.adminKey });
    expect(replayed.body.data[0]).toMatchObject({
      id: dead.id,
      state: 'replayed',
      lastAction: { action: 'dead_letter.replay', actor: `API key ${tenant.adminKey.slice(0, 12)}…` },
    });
    expect((await call(`${api.url}/dead-letters?state=open`, { key: tenant.adminKey })).body.data).toEqual([]);
    const discard = await call(`${api.url}/dead-letters/${dead.id}/discard`, { method: 'POST', key: tenant.adminKey });
    expect(discard.status).toBe(409);
  });

  it('validates its input', async () => {
    expect((await call(`${api.url}/dead-letters?limit=0`, { key: tenant.adminKey })).status).toBe(400);
    expect(
      (await call(`${api.url}/dead-letters/not-a-uuid/replay`, { method: 'POST', key: tenant.adminKey })).status,
    ).toBe(404);
    expect((await call(`${api.url}/dead-letters`, { key: tenant.writeKey })).status).toBe(403);
    expect((await call(`${api.url}/dead-letters?state=lost`, { key: tenant.adminKey })).status).toBe(400);
    expect(
      (await call(`${api.url}/dead-letters/${randomUUID()}/discard`, { method: 'POST', key: tenant.adminKey })).status,
    ).toBe(404);
  });
});
