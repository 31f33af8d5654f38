import { randomBytes, randomUUID } from 'node:crypto';
import { type EngineProcess, type RunningWeb, startEngineProcess, startWeb, testKafka } from '@tripwire/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, reportScreenshot } from '../support/browser.ts';

// "Why didn't this user trigger?" and backtests in Chromium against the built web app and the
// engine with its event history archiver: events sent over the HTTP API are kept, explained event
// by event on the why page, and a changed draft is backtested with its counts on the canvas.
let web: RunningWeb;
let engine: EngineProcess;
let browser: Browser;
let page: Page;
let writeKey: string;
let adminKey: string;
let workflowId = '';

async function api(path: string, key: string, body?: unknown, method?: string) {
  const res = await fetch(`${web.url}/v1${path}`, {
    method: method ?? (body === undefined ? 'GET' : 'POST'),
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> };
}

async function createKey(name: string, scope: 'Ingest' | 'Admin') {
  await page.goto('/app/keys');
  await page.getByLabel('Key name').fill(name);
  await page.getByLabel('Scope').selectOption(scope.toLowerCase());
  await page.getByRole('button', { name: 'Create key' }).click();
  return page.getByLabel(`New ${scope.toLowerCase()} key “${name}”`).inputValue();
}

const flow = (threshold: number) => ({
  name: 'Cart nudge',
  nodes: [
    {
      id: 'start',
      type: 'trigger.event',
      config: { event: 'cart', filter: { '>': [{ var: 'event.properties.total' }, threshold] } },
    },
    { id: 'big', type: 'condition.if', config: { logic: { '>': [{ var: 'event.properties.total' }, 85] } } },
    { id: 'vip', type: 'action.log', config: { message: 'vip cart' } },
    { id: 'nudge', type: 'action.log', config: { message: 'nudge' } },
  ],
  edges: [
    { source: 'start', target: 'big' },
    { source: 'big', sourceHandle: 'true', target: 'vip' },
    { source: 'big', sourceHandle: 'false', target: 'nudge' },
  ],
});

beforeAll(async () => {
  const topic = await testKafka().createTopic('history-e2e', 3);
  const jobsSchema = `pgboss_h_${randomBytes(5).toString('hex')}`;
  // The engine first: it makes the jobs schema the web's backtest worker uses.
  engine = await startEngineProcess({
    EVENTS_TOPIC: topic,
    KAFKA_GROUP_ID: `history-e2e-${randomUUID()}`,
    JOBS_SCHEMA: jobsSchema,
  });
  web = await startWeb({ EVENTS_TOPIC: topic, JOBS_SCHEMA: jobsSchema });
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, baseURL: web.url });
  page = await context.newPage();
  await page.goto('/sign-up');
  await page.getByLabel('Your name').fill('Hana History');
  await page.getByLabel('Email').fill(`history-${randomUUID().slice(0, 8)}@example.com`);
  await page.getByLabel('Workspace name').fill('Cart Desk');
  await page.getByLabel('Password').fill('violet-harbor-88-kite');
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await page.waitForURL('**/app/workflows');
  writeKey = await createKey('site', 'Ingest');
  adminKey = await createKey('ops', 'Admin');
  const created = await api('/workflows', adminKey, flow(50));
  workflowId = String(created.body.id);
  expect((await api(`/workflows/${workflowId}/publish`, adminKey, {})).status).toBe(200);
  await new Promise((r) => setTimeout(r, 1500)); // the engine reloads on NOTIFY
  for (const [userId, total] of [
    ['alice', 10],
    ['alice', 80],
    ['bob', 90],
    ['carol', 30],
    ['dan', 60],
  ] as const) {
    expect((await api('/track', writeKey, { userId, event: 'cart', properties: { total } })).status).toBe(200);
  }
  // Kept by the archiver: alice's two events are explainable.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const x = await api(`/workflows/${workflowId}/explain?userId=alice`, adminKey);
    if (x.status === 200 && (x.body.events as unknown[]).length === 2) break;
    if (Date.now() > deadline)
      throw new Error(`alice's events not kept: ${JSON.stringify(x.body)}\n${engine.output().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await engine?.stop();
  await web?.stop();
});

describe('why (not)? and backtests in the browser', () => {
  it("tells why alice's first cart did not start a run and links the run her second one started", async () => {
    await page.goto(`/app/workflows/${workflowId}/why`);
    await page.getByLabel('User id').fill('alice');
    await page.getByRole('button', { name: 'Explain' }).click();
    const events = page.getByRole('list', { name: 'Events' });
    await expect
      .poll(() => events.textContent(), { timeout: 10_000 })
      .toContain("The trigger's filter (total > 50) was false: it read event.properties.total = 10.");
    expect(await events.textContent()).toContain('Started run-1.');
    await expect.poll(() => page.getByRole('link', { name: 'trace' }).count(), { timeout: 10_000 }).toBe(1);
    await page.getByLabel('User id').fill('nobody');
    await page.getByRole('button', { name: 'Explain' }).click();
    await expect
      .poll(() => page.getByRole('alert').first().textContent(), { timeout: 10_000 })
      .toContain('No events from user "nobody"');
  });

  it('backtests a changed draft against live, with progress and the counts on the canvas', async () => {
    // The draft takes carts over 20 (carol's too); live takes those over 50.
    expect((await api(`/workflows/${workflowId}`, adminKey, flow(20), 'PUT')).status).toBe(200);
    await page.goto(`/app/workflows/${workflowId}/backtest`);
    await page.getByLabel('Over the last').fill('1');
    await page.getByRole('button', { name: 'Run backtest' }).click();
    const summary = page.getByTestId('backtest-summary');
    await expect.poll(() => summary.textContent(), { timeout: 30_000 }).toContain('Draft: 4 users entered, 4 actions');
    expect(await summary.textContent()).toContain('Live (v1): 3 users, 3 actions');
    expect(await page.getByRole('progressbar', { name: 'Backtest progress' }).getAttribute('value')).toBe('1');
    const table = await page.getByRole('table', { name: 'Counts per node' }).textContent();
    expect(table).toContain('start43+1');
    await page.locator('.react-flow__node').first().waitFor();
    const path = await reportScreenshot(page, 'backtest-overlay');
    await page.screenshot({ path: '/tmp/h14-backtest-overlay.png', fullPage: true });
    expect(path).toMatch(/backtest-overlay\.png$/);

    // The publish dialog foresees the draft's action volume from this backtest.
    await page.goto(`/app/workflows/${workflowId}`);
    await page.getByRole('button', { name: 'Publish…' }).click();
    await expect
      .poll(() => page.getByTestId('publish-foresight').textContent(), { timeout: 10_000 })
      .toContain('would have fired 4.0 actions/day (live: 3.0)');
  }, 120_000);
});
