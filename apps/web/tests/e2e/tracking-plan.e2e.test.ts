import { randomUUID } from 'node:crypto';
import { type RunningWeb, startWeb } from '@tripwire/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from '../support/browser.ts';

let web: RunningWeb;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  web = await startWeb();
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL: web.url });
  page = await context.newPage();
  await page.goto('/sign-up');
  await page.getByLabel('Your name').fill('Tara Tracker');
  await page.getByLabel('Email').fill(`plan-${randomUUID().slice(0, 8)}@example.com`);
  await page.getByLabel('Workspace name').fill('Planned Events');
  await page.getByLabel('Password').fill('violet-harbor-88-kite');
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await page.waitForURL('**/app/workflows');
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await web?.stop();
});

const schemaText = async () => JSON.parse(await page.getByLabel('Plan as JSON Schema').inputValue());

describe('tracking plan editor (Chromium)', () => {
  it('declares an event with typed, required and enum properties, saves, exports, imports, and explains bad input', async () => {
    await page.goto('/app/settings');
    await page.getByRole('link', { name: 'Edit the tracking plan' }).click();
    await page.waitForURL('**/app/settings/tracking-plan');

    await page.getByLabel('Mode').selectOption('reject');
    await page.getByRole('button', { name: 'Add event' }).click();
    await page.getByLabel('Event 1 name').fill('Order Completed');
    await page.getByLabel('Event 1 allows other properties').uncheck();
    await page.getByRole('button', { name: 'Add property' }).click();
    await page.getByLabel('Event 1 property 1 name').fill('total');
    await page.getByLabel('Event 1 property 1 type').selectOption('number');
    await page.getByLabel('Event 1 property 1 required').check();
    await page.getByRole('button', { name: 'Add property' }).click();
    await page.getByLabel('Event 1 property 2 name').fill('currency');
    await page.getByLabel('Event 1 property 2 allowed values').fill('EUR, USD');
    await page.getByRole('button', { name: 'Save tracking plan' }).click();
    await page.getByText('Tracking plan saved.').waitFor();
    await screenshot(page, 'tracking-plan-saved');

    // Exported as JSON Schema, as GET /v1/tracking-plan gives it.
    await page.getByRole('button', { name: 'Export saved plan' }).click();
    await page.waitForFunction(() => (document.querySelector('textarea')?.value ?? '').includes('Order Completed'));
    expect((await schemaText()).$defs).toEqual({
      'Order Completed': {
        type: 'object',
        properties: { total: { type: 'number' }, currency: { type: 'string', enum: ['EUR', 'USD'] } },
        required: ['total'],
        additionalProperties: false,
      },
    });

    // Survives a reload.
    await page.reload();
    await expect(page.getByLabel('Event 1 name').inputValue()).resolves.toBe('Order Completed');
    await expect(page.getByLabel('Mode').inputValue()).resolves.toBe('reject');
    await expect(page.getByLabel('Event 1 property 2 allowed values').inputValue()).resolves.toBe('EUR, USD');

    // Bad input, each with its reason; nothing saved is lost.
    await page.getByLabel('Plan as JSON Schema').fill('{ not json');
    await page.getByRole('button', { name: 'Import (replaces the events above)' }).click();
    await page.getByText('The text is not valid JSON.').waitFor();
    await page
      .getByLabel('Plan as JSON Schema')
      .fill(JSON.stringify({ $defs: { Signup: { properties: { email: { type: 'string', pattern: '@' } } } } }));
    await page.getByRole('button', { name: 'Import (replaces the events above)' }).click();
    await page
      .getByText('Only type, enum and description are supported here (not pattern)', { exact: false })
      .waitFor();
    await page.getByRole('button', { name: 'Add event' }).click();
    await page.getByLabel('Event 2 allows other properties').check();
    await page.getByRole('button', { name: 'Save tracking plan' }).click();
    await page.getByText('An event needs a name').waitFor();
    await screenshot(page, 'tracking-plan-invalid');
    await page.reload();
    await expect(page.getByLabel('Event 1 name').inputValue()).resolves.toBe('Order Completed');
    await expect(page.getByLabel('Event 2 name').count()).resolves.toBe(0);

    // A good import replaces the events.
    await page.getByLabel('Plan as JSON Schema').fill(
      JSON.stringify({
        $defs: {
          Signup: {
            type: 'object',
            properties: { plan: { type: 'string', enum: ['free', 'pro'] } },
            required: ['plan'],
          },
        },
      }),
    );
    await page.getByRole('button', { name: 'Import (replaces the events above)' }).click();
    await page.getByText('Tracking plan saved.').waitFor();
    await expect(page.getByLabel('Event 1 name').inputValue()).resolves.toBe('Signup');
    await expect(page.getByLabel('Event 1 property 1 allowed values').inputValue()).resolves.toBe('free, pro');
    await expect(page.getByLabel('Event 1 property 1 required').isChecked()).resolves.toBe(true);

    // The condition builder offers the declared property, typed, with its allowed values.
    await page.goto('/app/workflows');
    await page.getByLabel('Name', { exact: true }).fill('Plan-aware');
    await page.getByRole('button', { name: 'Create workflow' }).click();
    await page.waitForURL('**/app/workflows/*');
    await page
      .getByRole('button', { name: 'Add If', exact: true })
      .dragTo(page.locator('.react-flow__pane'), { targetPosition: { x: 240, y: 190 } });
    await page.getByRole('button', { name: '+ Rule' }).click();
    const rule = page.locator('.cond-rule').first();
    await expect(rule.getByLabel('Field', { exact: true }).inputValue()).resolves.toBe('plan');
    await expect(rule.getByLabel('Type').inputValue()).resolves.toBe('string');
    const list = await rule.getByLabel('Value').getAttribute('list');
    expect(list).toBeTruthy();
    const offered = await page
      .locator(`datalist[id="${list}"] option`)
      .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    expect(offered).toEqual(['free', 'pro']);
    await screenshot(page, 'tracking-plan-builder');
  });
});
