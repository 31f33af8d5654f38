import { randomUUID } from 'node:crypto';
import { type RunningWeb, startWeb, testKafka } from '@tripwire/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from '../support/a11y.ts';
import { launchBrowser } from '../support/browser.ts';
import { SIZES, shot } from '../support/screens.ts';

// Every page, as a signed-in owner and as a visitor: axe-core finds no serious or critical
// violation, and a screenshot of each is written at 1280×720 and 1440×900 (issue 17, items 9 and 10).
let web: RunningWeb;
let browser: Browser;
let page: Page;
let workflowUrl = '';

beforeAll(async () => {
  const topic = await testKafka().createTopic('pages-e2e', 1);
  web = await startWeb({ EVENTS_TOPIC: topic });
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: SIZES[0], baseURL: web.url });
  page = await context.newPage();
  await page.goto('/sign-up');
  await page.getByLabel('Your name').fill('Paula Pages');
  await page.getByLabel('Email').fill(`pages-${randomUUID().slice(0, 8)}@example.com`);
  await page.getByLabel('Workspace name').fill('Every Page');
  await page.getByLabel('Password').fill('violet-harbor-88-kite');
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await page.waitForURL('**/app/workflows');
  await page.getByRole('button', { name: 'Start from the template Welcome series' }).click();
  await page.waitForURL('**/app/workflows/*');
  workflowUrl = new URL(page.url()).pathname;
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await web?.stop();
});

describe('every page (items 9 and 10)', () => {
  it('has no serious or critical axe violations, and screenshots every page at both sizes', async () => {
    await page.goto('/app/members');
    await page.getByRole('button', { name: 'Create invitation link' }).click();
    const invite = new URL(await page.getByLabel('Invitation link (valid 7 days)').inputValue()).pathname;
    const anon = await browser.newContext({ baseURL: web.url });
    const visitor = await anon.newPage();
    const pages: [Page, string, string, (() => Promise<void>)?][] = [
      [visitor, 'home', '/'],
      [visitor, 'sign-in', '/sign-in'],
      [visitor, 'sign-up', '/sign-up'],
      [visitor, 'not-found', '/no-such-page'],
      [visitor, 'invite', invite],
      [page, 'workflows', '/app/workflows'],
      [page, 'editor', workflowUrl],
      [
        page,
        'editor-test-panel',
        workflowUrl,
        async () => {
          await page.getByRole('button', { name: 'Test run' }).click();
          await page.getByRole('button', { name: 'Run test' }).click();
          await page.getByRole('list', { name: 'Path taken' }).waitFor();
        },
      ],
      [
        page,
        'editor-versions',
        workflowUrl,
        async () => {
          await page.getByRole('button', { name: 'Versions' }).click();
        },
      ],
      [page, 'runs', '/app/runs'],
      [page, 'keys', '/app/keys'],
      [page, 'members', '/app/members'],
      [page, 'settings', '/app/settings'],
      [page, 'usage', '/app/settings/usage'],
    ];
    const problems: string[] = [];
    for (const size of SIZES) {
      for (const [p, name, url, then] of pages) {
        await p.setViewportSize(size);
        await p.goto(url);
        await p.locator('h1').first().waitFor();
        if (name.startsWith('editor')) await p.locator('.react-flow__node').first().waitFor();
        // Lists load after the page: wait until no spinner is left.
        await p
          .locator('.tw-loading')
          .first()
          .waitFor({ state: 'detached', timeout: 10_000 })
          .catch(() => {});
        await then?.();
        // axe once per page (at the smaller size, where crowding shows first); screenshots at both.
        if (size === SIZES[0]) for (const v of await seriousViolations(p)) problems.push(`${name}: ${v}`);
        await shot(p, `page-${name}`);
      }
    }
    await anon.close();
    expect(problems).toEqual([]);
  }, 180_000);
});
