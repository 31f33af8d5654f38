import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type EngineProcess, type RunningWeb, startEngineProcess, startWeb, testKafka } from '@tripwire/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { SIZES, shot } from '../support/screens.ts';

// Issue 17, as a growth marketer meets it: a new workspace's first event, the condition builder,
// validation where values are typed, plain words on nodes, runs and diffs, a readable test run,
// publish review and pause, a truthful run status, a roomy editor at 1280×720, accessibility.
let web: RunningWeb;
let engine: EngineProcess;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let writeKey = '';
const received: string[] = [];
const receiver = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    received.push(req.url ?? '');
    res.writeHead(req.url === '/forbidden' ? 403 : 200).end();
  });
});
const hookUrl = (path: string) => `http://127.0.0.1:${(receiver.address() as AddressInfo).port}${path}`;

beforeAll(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', () => resolve()));
  const topic = await testKafka().createTopic('marketer-e2e', 3);
  web = await startWeb({ EVENTS_TOPIC: topic });
  engine = await startEngineProcess(
    {
      EVENTS_TOPIC: topic,
      KAFKA_GROUP_ID: `marketer-e2e-${randomUUID()}`,
      JOBS_SCHEMA: `pgboss_m_${randomBytes(5).toString('hex')}`,
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    },
    { shipped: true },
  );
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: SIZES[0], baseURL: web.url });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: web.url });
  page = await context.newPage();
  await page.goto('/sign-up');
  await page.getByLabel('Your name').fill('Greta Growth');
  await page.getByLabel('Email').fill(`growth-${randomUUID().slice(0, 8)}@example.com`);
  await page.getByLabel('Workspace name').fill('Growth Team');
  await page.getByLabel('Password').fill('violet-harbor-88-kite');
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await page.waitForURL('**/app/workflows');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await engine?.stop();
  await web?.stop();
  receiver.close();
});

const node = (id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);
const saved = () => page.getByRole('status').filter({ hasText: 'All changes saved' }).waitFor();
const liveStatus = () => page.getByTestId('live-status').textContent();

function track(body: object) {
  return fetch(`${web.url}/v1/track`, {
    method: 'POST',
    headers: { authorization: `Bearer ${writeKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function fromTemplate(name: string) {
  await page.goto('/app/workflows');
  await page.getByRole('button', { name: `Start from the template ${name}` }).click();
  await page.waitForURL('**/app/workflows/*');
  await page.locator('.react-flow__node').first().waitFor();
}

async function newWorkflow(name: string) {
  await page.goto('/app/workflows');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByRole('button', { name: 'Create workflow' }).click();
  await page.waitForURL('**/app/workflows/*');
  await page.locator('.react-flow__pane').waitFor();
}

/** Adds a node from the palette with the keyboard: under the selected node, connected to it. */
async function add(label: string) {
  await page.getByRole('button', { name: `Add ${label}`, exact: true }).focus();
  await page.keyboard.press('Enter');
}

describe('first event (item 7)', () => {
  it('shows the write key once with snippets, sends a test event, and turns green when it arrives', async () => {
    const checklist = page.getByRole('list', { name: 'Getting started' });
    await checklist.getByText('Waiting for your first event…').waitFor();
    await page.getByRole('button', { name: 'Create a write key' }).click();
    writeKey = await page.getByLabel('Your write key').inputValue();
    expect(writeKey).toMatch(/^tw_wk_/);
    // Keys are read in a monospace font (I and l differ).
    expect(await page.getByLabel('Your write key').evaluate((el) => getComputedStyle(el).fontFamily)).toMatch(/mono/i);
    await expect(page.getByLabel('Snippet', { exact: true }).textContent()).resolves.toContain(`-u '${writeKey}:'`);
    await page.getByRole('tab', { name: 'JavaScript' }).click();
    await expect(page.getByLabel('Snippet', { exact: true }).textContent()).resolves.toContain("btoa('");
    await page.getByRole('tab', { name: 'Segment' }).click();
    await expect(page.getByLabel('Snippet', { exact: true }).textContent()).resolves.toContain(
      `writeKey: '${writeKey}'`,
    );
    await shot(page, 'onboarding-waiting');
    await page.getByRole('button', { name: 'Send a test event' }).click();
    await checklist.getByText(/Events are arriving: “test_event”/).waitFor({ timeout: 20_000 });
    await shot(page, 'onboarding-first-event');
  });
});

describe('the condition builder (item 2)', () => {
  it('opens every template condition in readable rows at 1280×720 and 1440×900', async () => {
    const cases = [
      ['High-value purchase to Kafka', 'order-completed', 'total', 'gte', '500'],
      ['Welcome series', 'not-activated', 'user.activated', 'is_not_true', null],
      ['Cart abandonment', 'wait-for-order', 'cartId', 'equals', 'trigger.properties.cartId'],
    ] as const;
    for (const [template, nodeId, field, operator, value] of cases) {
      await fromTemplate(template);
      await node(nodeId).click();
      const rule = page.locator('.cond-rule').first();
      await rule.waitFor();
      expect(await page.getByText('beyond the builder').count()).toBe(0);
      await expect(rule.getByLabel('Field', { exact: true }).inputValue()).resolves.toBe(field);
      await expect(rule.getByLabel('Operator').inputValue()).resolves.toBe(operator);
      if (value) {
        const input = operator === 'equals' ? rule.getByLabel('Other field') : rule.getByLabel('Value');
        await expect(input.inputValue()).resolves.toBe(value);
      }
      for (const size of SIZES) {
        await page.setViewportSize(size);
        // Menus keep their words: the operator menu shows its whole label, not a bare arrow.
        const box = await rule.getByLabel('Operator').boundingBox();
        expect(box?.width).toBeGreaterThan(70);
        const label = await rule.getByLabel('Operator').evaluate((el: HTMLSelectElement) => ({
          text: el.selectedOptions[0]?.text,
          width: el.scrollWidth,
          client: el.clientWidth,
        }));
        expect(label.width).toBeLessThanOrEqual(label.client + 1);
        await shot(page, `builder-${nodeId}`);
      }
      await page.setViewportSize(SIZES[0]);
    }
  });

  it('takes a typed property path before any such event arrived, with type-aware values', async () => {
    await newWorkflow('Typed paths');
    await add('When an event arrives');
    await page.getByLabel('Event', { exact: true }).fill('order_completed');
    await add('If');
    await page.getByRole('button', { name: '+ Rule' }).click();
    const rule = page.locator('.cond-rule').first();
    await rule.getByLabel('Field', { exact: true }).fill('order.total');
    await rule.getByLabel('Type').selectOption('number');
    await rule.getByLabel('Operator').selectOption('gte');
    await rule.getByLabel('Value').fill('250');
    await expect(node('if-2').locator('.tw-node__summary').textContent()).resolves.toBe('if order.total ≥ 250');
    await rule.getByLabel('Value').fill('lots');
    await page.getByRole('region', { name: 'Problems' }).getByText('Enter a number for order.total').waitFor();
    await rule.getByLabel('Value').fill('300');
    await rule.getByLabel('Type').selectOption('date');
    await rule.getByLabel('Operator').selectOption('lt');
    await expect(node('if-2').locator('.tw-node__summary').textContent()).resolves.toMatch(
      /^if order\.total < \d{4}-\d\d-\d\d$/,
    );
    await rule.getByLabel('Operator').selectOption('is_not_set');
    await expect(node('if-2').locator('.tw-node__summary').textContent()).resolves.toBe('if order.total is not set');
    await page.getByRole('tab', { name: 'JSON Logic' }).click();
    await expect(page.getByLabel('Condition (JSON Logic)').inputValue()).resolves.toContain('"==": [');
    await shot(page, 'builder-typed-path');
  });
});

describe('validation where values are typed (item 3)', () => {
  it('flags bad waits and bodies on the field and in the problems bar, and blocks publish; no library text', async () => {
    await newWorkflow('Bad input');
    await add('When an event arrives');
    // A new trigger asks for its event in words.
    const problems = page.getByRole('region', { name: 'Problems' });
    await problems.getByText('Enter an event').waitFor();
    await page.getByLabel('Event', { exact: true }).fill('signed_up');
    await add('Wait');
    const publish = page.getByRole('button', { name: 'Publish…' });
    for (const bad of ['0', '-5', '1.5', '99999999999']) {
      await page.getByLabel('Wait for', { exact: true }).fill(bad);
      const message =
        bad === '1.5'
          ? 'Enter a whole number of hours, or switch to a smaller unit'
          : 'Enter a time between 1 second and 90 days';
      await page.locator('.tw-field__error', { hasText: message }).waitFor();
      await problems.getByText(message).waitFor();
      await node('delay-2').locator('.tw-node.has-errors').waitFor();
      expect(await publish.isDisabled()).toBe(true);
    }
    await page.getByLabel('Wait for', { exact: true }).fill('2');
    await expect(node('delay-2').locator('.tw-node__summary').textContent()).resolves.toBe('wait 2 hours');
    await add('Call a webhook');
    await problems.getByText('Enter a URL').waitFor();
    await page.getByLabel('URL').fill(hookUrl('/ok'));
    // Placeholders come from a menu, quoted where JSON needs it.
    await page.getByLabel('Insert a placeholder into Body').selectOption({ label: 'user id' });
    await expect(page.getByRole('textbox', { name: 'Body (optional)' }).inputValue()).resolves.toBe(
      '"{{ event.userId }}"',
    );
    await page.getByRole('textbox', { name: 'Body (optional)' }).fill('{ "user": "{{ event.userId }}", }');
    await problems.getByText(/Body: This is not valid JSON/).waitFor();
    expect(await publish.isDisabled()).toBe(true);
    await shot(page, 'editor-invalid-input');
    await page.getByRole('textbox', { name: 'Body (optional)' }).fill('{ "user": "{{ event.userId }}" }');
    await page.getByText('No problems: ready to publish.').waitFor();
    expect(await publish.isDisabled()).toBe(false);
    const text = await page.locator('body').textContent();
    expect(text).not.toMatch(/Invalid input|expected string|received undefined|Please check the highlighted/);
  });

  it('says what is wrong with a name or an import where it was typed', async () => {
    await page.goto('/app/workflows');
    await page.getByRole('button', { name: 'Create workflow' }).click();
    await page.locator('.tw-field__error', { hasText: 'Name the workflow' }).waitFor();
    await page.getByRole('button', { name: 'Import…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import a workflow' });
    await dialog.getByLabel('Paste an exported workflow (JSON)').fill('{"foo":1}');
    await dialog.getByRole('button', { name: 'Import' }).click();
    await dialog.getByText(/This is not a Tripwire workflow/).waitFor();
    await shot(page, 'workflows-import-error');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });
});

describe('plain words on nodes, names and the palette (item 4)', () => {
  it('summarises rules in words, takes a name per node, and shows event names exactly', async () => {
    await newWorkflow('Words');
    await add('When an event arrives');
    await page.getByLabel('Event', { exact: true }).fill('order_completed');
    await add('If');
    await page.getByRole('button', { name: '+ Rule' }).click();
    const rule = page.locator('.cond-rule').first();
    await rule.getByLabel('Field', { exact: true }).fill('total');
    await rule.getByLabel('Type').selectOption('number');
    await rule.getByLabel('Operator').selectOption('gt');
    await rule.getByLabel('Value').fill('100');
    await expect(node('if-2').locator('.tw-node__summary').textContent()).resolves.toBe('if total > 100');
    await page.getByLabel('Name (optional)').fill('Big order?');
    await expect(node('if-2').locator('.tw-node__label').textContent()).resolves.toBe('Big order?');
    await expect(node('if-2').locator('.tw-node__kind').textContent()).resolves.toContain('If');
    // The event name is shown as code, underscores and all.
    await expect(node('event-1').locator('.tw-node__summary code').textContent()).resolves.toBe('order_completed');
    // Palette descriptions have no raw backticks.
    expect(await page.getByRole('complementary', { name: 'Node palette' }).textContent()).not.toContain('`');
    await saved();
    await shot(page, 'editor-words');
  });
});

describe('a readable test run (item 5)', () => {
  it('tells each step with the values read and why it stopped, from a made-up event that matches the trigger', async () => {
    await page.getByRole('button', { name: 'Test run' }).click();
    // The made-up event matches the trigger; nothing is connected to the If yet.
    await expect(page.getByLabel('Test event').inputValue()).resolves.toContain('"order_completed"');
    await page.getByRole('button', { name: 'Run test' }).click();
    const path = page.getByRole('list', { name: 'Path taken' });
    await path.getByText('Checked total > 100 (total is 101) → yes').waitFor();
    await page.getByText('Stopped at Big order?: nothing is connected to “true”.').waitFor();
    expect(await path.textContent()).not.toMatch(/"result"|wouldWaitMs/);
    await shot(page, 'editor-test-run');
    await page.getByRole('button', { name: 'Close' }).click();
  });
});

describe('publish review, pause and a truthful status (items 1 and 6)', () => {
  it('reviews what changed, and the status line is right after publish, edit, old version, back to draft and pause', async () => {
    await node('if-2').click();
    await add('Call a webhook');
    await page.getByLabel('URL').fill(hookUrl('/forbidden'));
    await saved();
    expect(await liveStatus()).toBe('Draft · not published');
    await page.getByRole('button', { name: 'Publish…' }).click();
    let review = page.getByRole('dialog', { name: 'Publish this workflow?' });
    await review.getByText('Big order?').waitFor();
    await shot(page, 'editor-publish-first');
    await review.getByRole('button', { name: 'Publish now' }).click();
    await page.getByText(/Published version 1/).waitFor();
    await expect.poll(liveStatus).toBe('Live: v1 · up to date');

    await node('if-2').click();
    await page.locator('.cond-rule').first().getByLabel('Value').fill('200');
    await saved();
    await expect.poll(liveStatus).toBe('Live: v1 · draft has 1 unpublished change');
    await page.getByRole('button', { name: 'Versions' }).click();
    await page.getByRole('button', { name: 'View v1' }).click();
    const changes = page.getByRole('list', { name: 'Changes in the draft since version 1' });
    await changes.getByText('Big order?: Condition').waitFor();
    await expect(changes.textContent()).resolves.toContain('total > 100 → total > 200');
    expect(await liveStatus()).toBe('Viewing v1 (read-only)');
    await shot(page, 'editor-version-diff');
    await page.getByRole('button', { name: 'Back to draft' }).click();
    await expect.poll(liveStatus).toBe('Live: v1 · draft has 1 unpublished change');
    await page.getByRole('status').filter({ hasText: 'All changes saved' }).waitFor();
    await page.getByRole('button', { name: 'Publish…' }).click();
    review = page.getByRole('dialog', { name: 'Publish the changes since v1?' });
    await expect(review.textContent()).resolves.toContain('total > 100 → total > 200');
    await shot(page, 'editor-publish-review');
    await review.getByRole('button', { name: 'Publish now' }).click();
    await page.getByText(/Published version 2/).waitFor();
    await expect.poll(liveStatus).toBe('Live: v2 · up to date');
    expect(await page.getByRole('status').filter({ hasText: 'All changes saved' }).count()).toBe(1);

    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('dialog', { name: /Pause/ }).getByRole('button', { name: 'Pause' }).click();
    await expect.poll(liveStatus).toBe('Paused (last live: v2)');
    await page.getByRole('button', { name: 'Publish…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Publish now' }).click();
    await expect.poll(liveStatus).toBe('Live: v3 · up to date');
  });

  it('shows a run whose webhook got 403 as failed, everywhere, and counts it in Runs (24 h)', async () => {
    await new Promise((r) => setTimeout(r, 1500)); // the engine reloads on NOTIFY
    expect((await track({ userId: 'dora', event: 'order_completed', properties: { total: 900 } })).status).toBe(200);
    const deadline = Date.now() + 30_000;
    while (!received.includes('/forbidden') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(received).toContain('/forbidden');
    await page.goto('/app/runs');
    const row = page.locator('tr', { hasText: 'dora' });
    await expect
      .poll(async () => row.getByTestId('run-outcome').textContent(), { timeout: 30_000, interval: 1000 })
      .toContain('action failed');
    await expect(row.getByTestId('run-outcome').textContent()).resolves.toContain('HTTP 403');
    expect(await row.textContent()).not.toMatch(/if-2|webhook-3/);
    await row.getByRole('button', { name: 'Steps' }).click();
    await page
      .getByRole('list', { name: 'Steps of this run' })
      .getByText(/Checked total > 200.* → yes/)
      .waitFor();
    await shot(page, 'runs-truthful');
    await page.goto('/app/workflows');
    const wfRow = page.locator('tr', { hasText: 'Words' });
    await expect.poll(async () => Number(await wfRow.getByTestId('runs-24h').textContent())).toBeGreaterThanOrEqual(1);
    // Deleting says the flow is live and that its history goes with it.
    await wfRow.getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete “Words”?' });
    await dialog.getByText('It is live (v3).').waitFor();
    await dialog.getByText(/every published version and its run history are deleted too/).waitFor();
    await shot(page, 'workflows-delete-live');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('lets a test run pick any one of three recent orders', async () => {
    // Three orders from three people: each can be picked on its own.
    for (const [user, total] of [
      ['ann', 50],
      ['bob', 700],
      ['cid', 120],
    ] as const)
      expect((await track({ userId: user, event: 'order_completed', properties: { total } })).status).toBe(200);
    await page.locator('tr', { hasText: 'Words' }).getByRole('link').click();
    await page.locator('.react-flow__node').first().waitFor();
    await page.getByRole('button', { name: 'Test run' }).click();
    const path = page.getByRole('list', { name: 'Path taken' });
    const picker = page.getByLabel('Event to test with');
    // The events that started runs, one by one (the engine needs a moment to run them).
    const listed = async () => {
      await page.getByRole('button', { name: 'Test run' }).click();
      await page.getByRole('button', { name: 'Test run' }).click();
      const text = (await picker.locator('option').allTextContents()).join('\n');
      return ['ann · total 50', 'bob · total 700', 'cid · total 120'].every((x) => text.includes(x));
    };
    await expect.poll(listed, { timeout: 30_000, interval: 1000 }).toBe(true);
    const options = await picker.locator('option').allTextContents();
    await picker.selectOption({ label: options.find((o) => o.includes('ann · total 50')) as string });
    await page.getByRole('button', { name: 'Run test' }).click();
    await path.getByText('Checked total > 200 (total is 50) → no').waitFor();
    await page.getByText('Stopped at Big order?: nothing is connected to “false”.').waitFor();
    await shot(page, 'editor-test-run-picked');
    await page.getByRole('button', { name: 'Close' }).click();
  });
});

describe('a roomy editor (item 8)', () => {
  it('fits one toolbar row at 1280×720, keeps the mini map off the nodes, and collapses the side panels', async () => {
    await fromTemplate('Welcome series');
    const toolbar = page.getByRole('toolbar', { name: 'Editor' });
    const buttons = await toolbar.getByRole('button').all();
    const tops = new Set<number>();
    for (const b of buttons) tops.add(Math.round((await b.boundingBox())?.y ?? -1));
    expect(tops.size).toBe(1);
    const toolbarBox = await toolbar.boundingBox();
    expect(toolbarBox?.height).toBeLessThan(56);
    const canvas = async () => (await page.locator('.canvas').boundingBox())?.width ?? 0;
    expect(await canvas()).toBeGreaterThan(560);
    const map = await page.locator('.react-flow__minimap').boundingBox();
    for (const n of await page.locator('.react-flow__node').all()) {
      const b = await n.boundingBox();
      if (!b || !map) continue;
      const overlap =
        b.x < map.x + map.width && b.x + b.width > map.x && b.y < map.y + map.height && b.y + b.height > map.y;
      expect(overlap).toBe(false);
    }
    // Handles are big enough to hit.
    expect(
      await page
        .locator('.react-flow__handle')
        .first()
        .evaluate((el: HTMLElement) => el.offsetWidth),
    ).toBeGreaterThanOrEqual(14);
    await shot(page, 'editor-template');
    const before = await canvas();
    await page.getByRole('button', { name: 'Hide the node palette' }).click();
    await page.getByRole('button', { name: 'Hide the side panel' }).click();
    expect(await canvas()).toBeGreaterThan(before + 400);
    await shot(page, 'editor-collapsed');
    await page.getByRole('button', { name: 'Show the node palette' }).click();
    await page.getByRole('button', { name: 'Show the side panel' }).click();
  });

  it('places a new node in view, connected under the selected one; tidy-up keeps every node on screen', async () => {
    await node('tips').click();
    const edges = await page.locator('.react-flow__edge').count();
    await add('Log');
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(edges + 1);
    const canvasBox = await page.locator('.canvas').boundingBox();
    const inView = async (id: string) => {
      const b = await page.locator(`.react-flow__node[data-id="${id}"]`).boundingBox();
      return !!b && !!canvasBox && b.y >= canvasBox.y && b.y + b.height <= canvasBox.y + canvasBox.height + 1;
    };
    await expect.poll(() => inView('log-1')).toBe(true);
    await page.getByRole('button', { name: 'Tidy up' }).click();
    await new Promise((r) => setTimeout(r, 400));
    for (const n of await page.locator('.react-flow__node').all()) {
      const b = await n.boundingBox();
      expect(b && canvasBox && b.x >= canvasBox.x && b.x + b.width <= canvasBox.x + canvasBox.width).toBe(true);
      expect(b && canvasBox && b.y >= canvasBox.y && b.y + b.height <= canvasBox.y + canvasBox.height).toBe(true);
    }
    await shot(page, 'editor-tidied');
  });
});

describe('keyboard and accessibility (item 9)', () => {
  it('lists the shortcuts, and adds, deletes and undoes from the keyboard', async () => {
    await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.getByText('Undo', { exact: true }).waitFor();
    await shot(page, 'editor-shortcuts');
    await page.keyboard.press('Escape');
    await node('log-1').click();
    const count = await page.locator('.react-flow__node').count();
    await page.keyboard.press('Delete');
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(count - 1);
    await page.keyboard.press('Control+z');
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(count);
    // Connect from the keyboard: the selected node's "Then" menus.
    const edges = await page.locator('.react-flow__edge').count();
    await node('not-activated').click();
    const whenFalse = page.getByLabel('When false, go to');
    await whenFalse.focus();
    await whenFalse.selectOption({ label: 'Log' });
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(edges + 1);
    await whenFalse.selectOption({ label: '— nothing (the run ends here) —' });
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(edges);
    // The node's own delete button works too.
    await node('log-1').click();
    await page.getByRole('button', { name: 'Delete Log' }).first().click();
    await expect.poll(() => page.locator('.react-flow__node').count()).toBe(count - 1);
  });
});

describe('workspaces of one name (item "two workspaces both listed as Demo")', () => {
  it('tells them apart in the switcher', async () => {
    await page.goto('/app/settings');
    await page.getByLabel('New workspace name').fill('Growth Team');
    await page.getByRole('button', { name: 'Create workspace' }).click();
    await page.waitForURL('**/app/workflows');
    const labels = await page.getByLabel('Workspace').locator('option').allTextContents();
    const twins = labels.filter((l) => l.startsWith('Growth Team'));
    expect(twins).toHaveLength(2);
    expect(new Set(twins).size).toBe(2);
    expect(twins.every((l) => /^Growth Team · [0-9a-f]{6} \(owner\)$/.test(l))).toBe(true);
  });
});
