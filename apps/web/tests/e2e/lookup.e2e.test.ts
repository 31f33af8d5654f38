import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type RunningWeb, startWeb, testKafka } from '@tripwire/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from '../support/browser.ts';

// The "Look up" node in the editor: added from the palette, its form filled (a URL template, a
// secret header), read by a later condition, and a test run that makes the real request from the
// server (through the engine's address guard) and shows what came back and which output was taken.
let web: RunningWeb;
let browser: Browser;
let page: Page;
const calls: { path: string; headers: IncomingHttpHeaders }[] = [];
const api = createServer((req, res) => {
  calls.push({ path: req.url ?? '', headers: req.headers });
  if (req.url?.startsWith('/users/')) {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ plan: 'pro', seats: 12 }));
  } else res.writeHead(404).end();
});
let apiUrl = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', () => resolve()));
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  const topic = await testKafka().createTopic('lookup-e2e', 1);
  web = await startWeb({ EVENTS_TOPIC: topic, WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, baseURL: web.url });
  page = await context.newPage();
  await page.goto('/sign-up');
  await page.getByLabel('Your name').fill('Lou Lookup');
  await page.getByLabel('Email').fill(`lookup-${randomUUID().slice(0, 8)}@example.com`);
  await page.getByLabel('Workspace name').fill('Enrichment');
  await page.getByLabel('Password').fill('amber-lantern-42-otter');
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await page.waitForURL('**/app/workflows');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await web?.stop();
  api.close();
});

async function drop(label: string, x: number, y: number) {
  await page
    .getByRole('button', { name: `Add ${label}`, exact: true })
    .dragTo(page.locator('.react-flow__pane'), { targetPosition: { x, y } });
}

const node = (id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);

async function connect(from: string, handle: string, to: string) {
  const source = node(from).locator(`.react-flow__handle.source[data-handleid="${handle}"]`);
  const target = node(to).locator('.react-flow__handle.target');
  const a = await source.boundingBox();
  const b = await target.boundingBox();
  if (!a || !b) throw new Error('handle not visible');
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 12 });
  await page.mouse.up();
}

async function testRun(userId: string) {
  await page.getByLabel('Test event').fill(JSON.stringify({ name: 'visit', userId, properties: {} }));
  await page.getByRole('button', { name: 'Run test' }).click();
}

describe('the Look up node (Chromium, the web app)', () => {
  it('is filled in from its form and read by a later condition; a test run calls the API and shows the answer', async () => {
    await page.getByLabel('Name', { exact: true }).fill('Pro visitors');
    await page.getByRole('button', { name: 'Create workflow' }).click();
    await page.waitForURL('**/app/workflows/*');
    await page.locator('.react-flow__pane').waitFor();

    await drop('When an event arrives', 240, 40);
    await page.getByLabel('Event', { exact: true }).fill('visit');
    await drop('Look up', 240, 190);
    await page.getByRole('textbox', { name: 'URL' }).fill(`${apiUrl}/users/{{ event.userId }}`);
    await page.locator('.tw-field', { hasText: 'Secret headers' }).getByRole('button', { name: '+ Add' }).click();
    await page.getByLabel('Secret headers name 1').fill('Authorization');
    const token = page.getByLabel('Secret headers value 1');
    await token.fill('Bearer e2e-t0ken');
    // A credential is typed into a masked box.
    await expect(token.getAttribute('type')).resolves.toBe('password');
    const lookup = page.locator('.react-flow__node').filter({ hasText: 'Look up' });
    await expect(lookup.textContent()).resolves.toContain(`GET ${apiUrl}/users/{{ event.userId }}`);

    await drop('If', 240, 340);
    await page.getByRole('button', { name: '+ Rule' }).click();
    const rule = page.locator('.cond-rule').first();
    await rule.getByLabel('Field', { exact: true }).fill('lookup.http-2.plan');
    await rule.getByLabel('Operator').selectOption('equals');
    await rule.getByLabel('Value').fill('pro');
    await drop('Log', 240, 490);
    await page.getByRole('textbox', { name: 'Message' }).fill('{{ event.userId }} is on {{ lookup.http-2.plan }}');
    await connect('event-1', 'next', 'http-2');
    await connect('http-2', 'ok', 'if-3');
    await connect('if-3', 'true', 'log-4');
    await page.getByText('No problems: ready to publish.').waitFor();

    await page.getByRole('button', { name: 'Test run' }).click();
    await testRun('ada');
    const path = page.getByRole('list', { name: 'Path taken' });
    await expect(path.textContent()).resolves.toContain(`Looked up ${apiUrl}/users/ada: 200`);
    await expect(path.textContent()).resolves.toContain('→ ok');
    await expect(path.textContent()).resolves.toContain('(plan (looked up by http-2) is pro) → yes');
    await expect(node('http-2').locator('.tw-node').getAttribute('data-state')).resolves.toBe('taken');
    await expect(node('log-4').locator('.tw-node').getAttribute('data-state')).resolves.toBe('taken');
    const answer = page.getByLabel('Answer of http-2');
    await expect(answer.textContent()).resolves.toContain('"plan": "pro"');
    await expect(answer.textContent()).resolves.toContain('"seats": 12');
    await expect(page.getByRole('region', { name: 'Look-ups' }).textContent()).resolves.toContain('output ok');
    const actions = page.getByText('What the actions would send');
    await actions.click();
    await expect(page.locator('.test-result').textContent()).resolves.toContain('ada is on pro');
    // The server made the request, with the secret header; the page never shows the token.
    expect(calls.filter((c) => c.path === '/users/ada').map((c) => c.headers.authorization)).toEqual([
      'Bearer e2e-t0ken',
    ]);
    await expect(page.locator('.test-result').textContent()).resolves.not.toContain('e2e-t0ken');
    await screenshot(page, 'lookup-test-run');
  }, 120_000);

  it('offers the fields a look-up answered in the condition builder', async () => {
    await page.getByRole('button', { name: 'Close' }).click();
    await node('if-3').click();
    const offered = await page
      .locator('datalist option')
      .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    expect(offered).toEqual(expect.arrayContaining(['lookup.http-2.plan', 'lookup.http-2.seats']));
    await page.getByRole('button', { name: 'Test run' }).click();
  });

  it('shows a failed look-up and takes its error output; private addresses are refused', async () => {
    const editUrl = async (url: string) => {
      await page.getByRole('button', { name: 'Close' }).click();
      await node('http-2').click();
      await page.getByRole('textbox', { name: 'URL' }).fill(url);
      await page.getByRole('button', { name: 'Test run' }).click();
    };
    await editUrl(`${apiUrl}/missing/{{ event.userId }}`);
    await testRun('bea');
    const path = page.getByRole('list', { name: 'Path taken' });
    await expect(path.textContent()).resolves.toContain('answered 404 → error');
    await expect(page.getByText(/nothing is connected to “error”/).count()).resolves.toBe(1);

    await editUrl('http://10.1.2.3/users/{{ event.userId }}');
    await testRun('cy');
    await expect(path.textContent()).resolves.toContain('look-ups only reach public addresses');
    await screenshot(page, 'lookup-test-run-refused');
  });
});
