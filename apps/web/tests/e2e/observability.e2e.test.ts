import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type EngineProcess, type RunningWeb, startEngineProcess, startWeb, testKafka } from '@tripwire/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, reportScreenshot } from '../support/browser.ts';

// Seeing what flows did, end to end in Chromium against the built web app and the shipped engine:
// events sent over the HTTP API appear in the event debugger with the workflow they started, and a
// webhook that failed for good is inspected on the dead-letters page, replayed from it, delivered.
let web: RunningWeb;
let engine: EngineProcess;
let browser: Browser;
let page: Page;
let writeKey: string;
let adminKey: string;
let healthy = false;
const attempts: { id: string; ok: boolean; body: unknown }[] = [];
const paid: unknown[] = [];
let paidWorkflowId = '';
const receiver = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => {
    body += c;
  });
  req.on('end', () => {
    // /paid always answers; the order alerts fail until the receiver is "fixed".
    const ok = healthy || req.url === '/paid';
    if (req.url === '/paid') paid.push(JSON.parse(body || 'null'));
    else attempts.push({ id: String(req.headers['webhook-id']), ok, body: JSON.parse(body || 'null') });
    res.writeHead(ok ? 200 : 500, { 'content-type': 'application/json' }).end(ok ? '{"received":true}' : '');
  });
});

async function api(path: string, key: string, body?: unknown) {
  const res = await fetch(`${web.url}/v1${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> };
}
const track = (body: unknown) => api('/track', writeKey, body);

async function until<T>(probe: () => T | undefined, ms: number, what: string): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what} not seen within ${ms} ms\n${engine?.output().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function createKey(name: string, scope: 'Ingest' | 'Admin') {
  await page.goto('/app/keys');
  await page.getByLabel('Key name').fill(name);
  await page.getByLabel('Scope').selectOption(scope.toLowerCase());
  await page.getByRole('button', { name: 'Create key' }).click();
  return page.getByLabel(`New ${scope.toLowerCase()} key “${name}”`).inputValue();
}

beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', () => resolve()));
  const topic = await testKafka().createTopic('observability-e2e', 3);
  const jobsSchema = `pgboss_o_${randomBytes(5).toString('hex')}`;
  web = await startWeb({ EVENTS_TOPIC: topic, JOBS_SCHEMA: jobsSchema });
  engine = await startEngineProcess(
    {
      EVENTS_TOPIC: topic,
      KAFKA_GROUP_ID: `observability-e2e-${randomUUID()}`,
      JOBS_SCHEMA: jobsSchema,
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      // Fail fast: two attempts a second apart, then the dead letter.
      ACTION_RETRY_LIMIT: '1',
      ACTION_RETRY_DELAY_SECONDS: '1',
    },
    { shipped: true },
  );
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, baseURL: web.url });
  page = await context.newPage();
  await page.goto('/sign-up');
  await page.getByLabel('Your name').fill('Edith Editor');
  await page.getByLabel('Email').fill(`observer-${randomUUID().slice(0, 8)}@example.com`);
  await page.getByLabel('Workspace name').fill('Order Desk');
  await page.getByLabel('Password').fill('violet-harbor-88-kite');
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await page.waitForURL('**/app/workflows');
  writeKey = await createKey('site', 'Ingest');
  adminKey = await createKey('ops', 'Admin');

  // A published flow whose webhook fails until the receiver is fixed.
  const { port } = receiver.address() as AddressInfo;
  const created = await api('/workflows', adminKey, {
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
  });
  expect(created.status).toBe(201);
  expect((await api(`/workflows/${created.body.id}/publish`, adminKey, {})).status).toBe(200);
  // And one with a condition, for the run trace and the counts on the canvas.
  const paidFlow = await api('/workflows', adminKey, {
    name: 'Paid orders',
    nodes: [
      { id: 'start', type: 'trigger.event', config: { event: 'order_paid' } },
      { id: 'big', type: 'condition.if', config: { logic: { '>': [{ var: 'event.properties.total' }, 100] } } },
      {
        id: 'thanks',
        type: 'action.webhook',
        config: { url: `http://127.0.0.1:${port}/paid`, body: { to: '{{ event.userId }}' } },
      },
    ],
    edges: [
      { source: 'start', target: 'big' },
      { source: 'big', sourceHandle: 'true', target: 'thanks' },
    ],
  });
  paidWorkflowId = String(paidFlow.body.id);
  expect((await api(`/workflows/${paidWorkflowId}/publish`, adminKey, {})).status).toBe(200);
  await new Promise((r) => setTimeout(r, 1000)); // the engine reloads on NOTIFY
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await engine?.stop();
  await web?.stop();
  receiver.close();
});

const liveRow = (text: string) =>
  page.getByRole('table', { name: 'Live events' }).getByRole('row').filter({ hasText: text });

describe('event debugger and dead letters (Chromium, real engine)', () => {
  it('shows an event sent with the API within 2 s, with the workflow it started', async () => {
    await page.getByRole('link', { name: 'Event debugger' }).click();
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    const sent = Date.now();
    expect((await track({ userId: 'ann', event: 'order_failed', properties: { order: 'A-1' } })).status).toBe(200);
    await liveRow('order_failed').waitFor({ timeout: 2000 });
    const latency = Date.now() - sent;
    console.log(`event debugger: /v1/track -> row on screen in ${latency} ms`);
    expect(latency).toBeLessThan(2000);
    await expect(liveRow('order_failed').textContent()).resolves.toContain('ann');
    await liveRow('order_failed').getByRole('link', { name: 'Order alert' }).waitFor({ timeout: 15_000 });

    // A refused attempt shows with its reason.
    expect((await track({ event: 'order_failed' })).status).toBe(400);
    await page
      .getByRole('table', { name: 'Refused requests' })
      .getByRole('row')
      .filter({ hasText: 'userId or anonymousId is required' })
      .waitFor({ timeout: 10_000 });
    await reportScreenshot(page, 'event-debugger');

    // What operators see of the same: the web's own /metrics port.
    const metrics = await (await fetch(web.metricsUrl)).text();
    expect(metrics).toMatch(/^tripwire_ingest_events_total [1-9]/m);
    expect(metrics).toContain(
      'tripwire_ingest_rejected_total{status="400",code="invalid_message",attributed="true"} 1',
    );
    expect(metrics).toMatch(/^tripwire_debugger_viewers 1$/m);
    expect((await fetch(`${web.url}/metrics`)).status).not.toBe(200);
  });

  it('filters by event name and user, and pauses', async () => {
    await page.getByLabel('Event name contains').fill('signup');
    await page.getByText('Waiting for events…').waitFor();
    await track({ userId: 'bea', event: 'order_failed', properties: { order: 'B-2' } });
    await track({ userId: 'bea', event: 'signup', properties: { plan: 'pro' } });
    await liveRow('signup').waitFor({ timeout: 5000 });
    await expect(page.getByRole('table', { name: 'Live events' }).getByRole('row').count()).resolves.toBe(2);

    await page.getByLabel('User contains').fill('cal');
    await page.getByText('Waiting for events…').waitFor();
    await page.getByRole('button', { name: 'Pause' }).click();
    await track({ userId: 'cal', event: 'signup' });
    await page.getByRole('button', { name: 'Resume (1 new)' }).click();
    await liveRow('cal').waitFor({ timeout: 5000 });
    await page.getByLabel('Event name contains').fill('');
    await page.getByLabel('User contains').fill('');
  });

  it('replays a dead letter from the page, and the receiver gets it with the same webhook-id', async () => {
    // ann's and bea's orders each failed twice (500) and became dead letters.
    await until(() => (attempts.filter((a) => !a.ok).length >= 4 ? true : undefined), 30_000, 'failed attempts');
    await page.getByRole('link', { name: 'Dead letters' }).click();
    const rows = page.getByRole('table', { name: 'Dead letters' }).getByRole('row').filter({ hasText: 'Order alert' });
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(2);
    await expect(rows.first().textContent()).resolves.toContain('the receiver answered 500');

    // Inspect: the payload is there, the receiver's credential is not.
    await rows.first().getByRole('button', { name: 'Inspect' }).click();
    const payload = page.getByRole('region', { name: 'Payload' });
    await payload.getByText('"x-api-token": "[redacted]"').waitFor();
    const shown = (await payload.textContent()) ?? '';
    expect(shown).not.toContain('receiver-secret');
    const order = /"order": "([AB]-\d)"/.exec(shown)?.[1];
    await reportScreenshot(page, 'dead-letters-inspect');

    // Fix the receiver and replay the one inspected, from the list.
    healthy = true;
    await rows.first().getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Replay selected (1)' }).click();
    await page.getByText('Replayed 1 dead letter.').waitFor();
    const delivered = await until(() => attempts.find((a) => a.ok), 20_000, 'replayed delivery');
    expect(delivered.body).toEqual({ order });
    expect(attempts.filter((a) => a.id === delivered.id).length).toBe(3); // two failures, then the replay

    // The page says who replayed it and that it was delivered.
    await page.getByLabel('Show').selectOption('replayed');
    const replayed = page
      .getByRole('table', { name: 'Dead letters' })
      .getByRole('row')
      .filter({ hasText: 'Order alert' });
    await replayed.filter({ hasText: 'delivered' }).waitFor({ timeout: 15_000 });
    await expect(replayed.textContent()).resolves.toContain('replayed by Edith Editor');
    await reportScreenshot(page, 'dead-letters-replayed');

    // Discard the other one; the activity list records it.
    await page.getByLabel('Show').selectOption('open');
    const open = page.getByRole('table', { name: 'Dead letters' }).getByRole('row').filter({ hasText: 'Order alert' });
    await expect.poll(() => open.count(), { timeout: 10_000 }).toBe(1);
    page.once('dialog', (d) => void d.accept());
    await open.getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Discard selected (1)' }).click();
    await page.getByText('Discarded 1 dead letter.').waitFor();
    const activity = page.getByRole('list', { name: 'Recent activity' });
    await activity.getByText(/discarded a dead letter of Order alert/).waitFor({ timeout: 20_000 });
    await activity.getByText(/replayed a dead letter of Order alert/).waitFor();
    await page.getByText('Nothing needs attention').waitFor();
  });
});

describe('run explorer, trace and counts on the canvas (Chromium, real engine)', () => {
  it('lists the runs, traces one with the values its condition read and its delivery, and counts the paths', async () => {
    expect((await track({ userId: 'dee', event: 'order_paid', properties: { total: 250 } })).status).toBe(200);
    expect((await track({ userId: 'eve', event: 'order_paid', properties: { total: 20 } })).status).toBe(200);
    await until(() => (paid.length === 1 ? true : undefined), 20_000, 'the paid webhook');

    await page.goto('/app/runs');
    await page.getByLabel('Workflow').selectOption({ label: 'Paid orders' });
    await page.getByRole('button', { name: 'Show runs' }).click();
    const rows = page.getByRole('table', { name: 'Runs' }).getByRole('row');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(3); // a header and two runs
    // The receiver has the webhook a moment before the engine records the delivery: ask again until then.
    const delivered = rows.filter({ hasText: 'dee' }).filter({ hasText: 'delivered' });
    await expect
      .poll(
        async () => {
          if ((await delivered.count()) === 0) await page.getByRole('button', { name: 'Show runs' }).click();
          return delivered.count();
        },
        { timeout: 20_000, interval: 750 },
      )
      .toBe(1);
    await rows.filter({ hasText: 'dee' }).getByRole('link', { name: 'Trace' }).click();

    const timeline = page.getByRole('list', { name: 'Timeline' });
    await timeline.getByText('→ yes').waitFor();
    const values = await timeline.getByRole('list', { name: 'Values read' }).first().textContent();
    expect(values).toContain('event.properties.total = 250');
    const attemptsTable = page.getByRole('table', { name: 'Delivery attempts' });
    await expect(attemptsTable.textContent()).resolves.toMatch(/delivered.*200.*\{"received":true\}/s);
    await page.getByRole('region', { name: /path taken/ }).waitFor();
    await reportScreenshot(page, 'run-trace');

    await page.goto(`/app/workflows/${paidWorkflowId}/activity`);
    const canvas = page.getByRole('region', { name: /number of runs/ });
    await canvas.getByRole('button', { name: /2 runs entered If, 2 left/ }).waitFor({ timeout: 15_000 });
    await canvas.getByRole('button', { name: /1 runs entered Call a webhook/ }).waitFor();
    await canvas.getByText('true · 1').waitFor(); // the edge
    await canvas.getByText('2 in · true 1 · false 1').waitFor(); // nothing is connected to false
    await reportScreenshot(page, 'canvas-counts');

    // A count opens the runs that passed that node.
    await canvas.getByRole('button', { name: /runs entered Call a webhook/ }).click();
    await page.waitForURL(/\/app\/runs\?.*nodeId=thanks/);
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(2);
    await expect(rows.nth(1).textContent()).resolves.toContain('dee');
  });
});
