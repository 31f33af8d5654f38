import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type EngineProcess, type RunningWeb, startEngineProcess, startWeb, testKafka } from '@tripwire/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from '../support/browser.ts';

// The product's face, end to end: a flow drawn with mouse and keyboard, published, then triggered
// through /v1/track, evaluated by a real engine process, and delivered to a local webhook receiver.
let web: RunningWeb;
let engine: EngineProcess;
let browser: Browser;
let page: Page;
let writeKey: string;
const received: { body: unknown; at: number }[] = [];
const receiver = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => {
    body += c;
  });
  req.on('end', () => {
    received.push({ body: body ? JSON.parse(body) : null, at: Date.now() });
    res.writeHead(200).end();
  });
});

beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', () => resolve()));
  const topic = await testKafka().createTopic('editor-e2e', 3);
  web = await startWeb({ EVENTS_TOPIC: topic });
  // The engine as it ships (the bundle the build made, with its heap flags), next to the built web app.
  engine = await startEngineProcess(
    {
      EVENTS_TOPIC: topic,
      KAFKA_GROUP_ID: `editor-e2e-${randomUUID()}`,
      JOBS_SCHEMA: `pgboss_e_${randomBytes(5).toString('hex')}`,
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    },
    { shipped: true },
  );
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, baseURL: web.url });
  page = await context.newPage();
  // A workspace, and a write key from the Keys page.
  await page.goto('/sign-up');
  await page.getByLabel('Your name').fill('Edith Editor');
  await page.getByLabel('Email').fill(`editor-${randomUUID().slice(0, 8)}@example.com`);
  await page.getByLabel('Workspace name').fill('Flow Studio');
  await page.getByLabel('Password').fill('violet-harbor-88-kite');
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await page.waitForURL('**/app/workflows');
  await page.getByRole('link', { name: 'Keys' }).click();
  await page.getByLabel('Key name').fill('e2e');
  await page.getByRole('button', { name: 'Create key' }).click();
  writeKey = await page.getByLabel('New ingest key “e2e”').inputValue();
  // One real event, so the editor can suggest its name and properties.
  expect((await track({ userId: 'sample', event: 'checkout', properties: { total: 20 } })).status).toBe(200);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await engine?.stop();
  await web?.stop();
  receiver.close();
});

function track(body: unknown) {
  return fetch(`${web.url}/v1/track`, {
    method: 'POST',
    headers: { authorization: `Bearer ${writeKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function newWorkflow(name: string) {
  await page.goto('/app/workflows');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByRole('button', { name: 'Create workflow' }).click();
  await page.waitForURL('**/app/workflows/*');
  await page.locator('.react-flow__pane').waitFor();
}

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

const saved = () => page.getByRole('status').filter({ hasText: 'All changes saved' }).waitFor();

describe('the flow editor (Chromium, real engine)', () => {
  it('builds trigger -> condition -> wait -> webhook by hand, publishes, and the webhook fires for a matching event', async () => {
    await newWorkflow('Big checkouts');
    await drop('When an event arrives', 240, 40);
    await page.getByLabel('Event', { exact: true }).fill('checkout');
    await drop('If', 240, 190);
    await page.getByRole('button', { name: '+ Rule' }).click();
    const rule = page.locator('.cond-rule').first();
    await rule.getByLabel('Field', { exact: true }).fill('total');
    await rule.getByLabel('Type').selectOption('number');
    await rule.getByLabel('Operator').selectOption('gt');
    await rule.getByLabel('Value').fill('100');
    await drop('Wait', 240, 340);
    await page.getByLabel('Wait for', { exact: true }).fill('1');
    await page.getByLabel('Wait for unit').selectOption('seconds');
    await drop('Call a webhook', 240, 490);
    await page.getByLabel('URL').fill(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/big`);
    await page
      .getByRole('textbox', { name: 'Body (optional)' })
      .fill('{ "user": "{{ event.userId }}", "total": "{{ event.properties.total }}" }');

    await connect('event-1', 'next', 'if-2');
    await connect('if-2', 'true', 'delay-3');
    await connect('delay-3', 'next', 'webhook-4');
    await expect(page.locator('.react-flow__edge').count()).resolves.toBe(3);
    await page.getByText('No problems: ready to publish.').waitFor();
    await saved();
    await page.getByRole('button', { name: 'Publish…', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Publish now' }).click();
    await page.getByText(/Published version 1/).waitFor();
    await screenshot(page, 'editor-published');

    await new Promise((r) => setTimeout(r, 1500)); // the engine reloads on NOTIFY
    expect((await track({ userId: 'small', event: 'checkout', properties: { total: 50 } })).status).toBe(200);
    expect((await track({ userId: 'big', event: 'checkout', properties: { total: 150 } })).status).toBe(200);
    const deadline = Date.now() + 30_000;
    while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(received.map((r) => r.body)).toEqual([{ user: 'big', total: 150 }]);
  }, 120_000);

  it('highlights the path of a test run, condition results and rendered templates', async () => {
    await page.getByRole('button', { name: 'Test run' }).click();
    await page
      .getByLabel('Test event')
      .fill(JSON.stringify({ name: 'checkout', userId: 'tess', properties: { total: 300 } }));
    await page.getByRole('button', { name: 'Run test' }).click();
    await expect(node('event-1').locator('.tw-node').getAttribute('data-state')).resolves.toBe('taken');
    await expect(node('if-2').locator('.tw-node').getAttribute('data-state')).resolves.toBe('taken');
    // The test run goes past waits in simulated time: the wait is on the path taken.
    await expect(node('delay-3').locator('.tw-node').getAttribute('data-state')).resolves.toBe('taken');
    await expect(node('webhook-4').locator('.tw-node').getAttribute('data-state')).resolves.toBe('taken');
    const path = page.getByRole('list', { name: 'Path taken' });
    await expect(path.textContent()).resolves.toContain('Checked total > 100 (total is 300) → yes');
    await expect(path.textContent()).resolves.toContain('"total":300');
    await expect(path.textContent()).resolves.toMatch(/Waits until .*Wait over at/);
    await screenshot(page, 'editor-test-run');
  });

  it('undoes and redoes with the keyboard', async () => {
    await page.locator('.react-flow__pane').click({ position: { x: 40, y: 40 } });
    await drop('Log', 520, 120);
    await expect(page.locator('.react-flow__node').count()).resolves.toBe(5);
    await page.keyboard.press('Control+z');
    await expect(page.locator('.react-flow__node').count()).resolves.toBe(4);
    await page.keyboard.press('Control+Shift+z');
    await expect(page.locator('.react-flow__node').count()).resolves.toBe(5);
    await page.keyboard.press('Control+z');
    await expect(page.locator('.react-flow__node').count()).resolves.toBe(4);
  });

  it('rolls back to version 1 after publishing version 2', async () => {
    await page.getByRole('button', { name: 'Close' }).click();
    await node('if-2').click();
    await page.locator('.cond-rule').first().getByLabel('Value').fill('200');
    await saved();
    await page.getByRole('button', { name: 'Publish…', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Publish now' }).click();
    await page.getByText(/Published version 2/).waitFor();
    await page.getByRole('button', { name: 'Versions' }).click();
    await page.getByRole('button', { name: 'View' }).last().click();
    await page.getByText(/Viewing version 1/).waitFor();
    await expect(node('if-2').locator('.tw-node').getAttribute('data-state')).resolves.toBe('changed');
    await page.getByRole('button', { name: 'Back to draft' }).click();
    await page.getByRole('button', { name: 'Roll back to v1' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Roll back to v1' }).click();
    await page.getByText('Live: v1').waitFor();
    await screenshot(page, 'editor-rolled-back');
  });

  it('offers a node type added in code (the Slack example) with the form, summary and checks of its definition', async () => {
    await newWorkflow('Slack alert');
    await drop('Post to Slack', 420, 120);
    const slack = page.locator('.react-flow__node').filter({ hasText: 'Post to Slack' });
    await slack.waitFor();
    // The form comes from the definition's fields: labels, a template for the message, an optional rule.
    await page.getByLabel('Incoming webhook URL').fill('not a url');
    await slack.locator('.tw-node.has-errors').waitFor();
    await page.getByLabel('Incoming webhook URL').fill('https://hooks.slack.com/services/T000/B000/XXXX');
    await page.getByRole('textbox', { name: 'Message' }).fill('Payment failed for {{ event.userId }}');
    await expect(page.getByText('Only if', { exact: false }).count()).resolves.toBeGreaterThan(0);
    // The node's summary is the definition's own.
    await expect
      .poll(() => slack.locator('.tw-node__summary').textContent())
      .toMatch(/^post “?Payment failed for \{\{ event\.userId \}\}”?$/);
    await screenshot(page, 'editor-slack-node');
  });

  it('marks an invalid flow on its node and cannot publish it', async () => {
    await newWorkflow('Broken flow');
    await drop('Call a webhook', 420, 120);
    await page.getByLabel('URL').fill('ftp://files.example.com/drop');
    await page.locator('.tw-node.has-errors').waitFor();
    await page.getByText(/A workflow needs exactly one trigger/).waitFor();
    await expect(page.getByRole('button', { name: 'Publish…', exact: true }).isDisabled()).resolves.toBe(true);
    await screenshot(page, 'editor-invalid');
  });

  it('asks every action which consent it needs and how urgent it is, with a reason for a bad category', async () => {
    await page.getByLabel('URL').fill('https://hooks.example.com/promo');
    await page.getByLabel('Consent needed').fill('Marketing Emails');
    await page
      .getByText(/A consent category is 1-40 lower-case letters/)
      .first()
      .waitFor();
    await page.getByLabel('Consent needed').fill('marketing');
    await page.getByLabel('Priority').selectOption('high');
    await expect(page.getByText(/A consent category is 1-40 lower-case letters/).count()).resolves.toBe(0);
    await screenshot(page, 'editor-action-consent');
  });
});
