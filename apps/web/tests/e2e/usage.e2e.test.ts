import { randomUUID } from 'node:crypto';
import { createDb, withTenant } from '@tripwire/db';
import { type RunningWeb, startWeb, testKafka } from '@tripwire/testing';
import { sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/services/api-keys.ts';
import { assignPlan, createPlan } from '../../src/services/plans.ts';
import { seriousViolations } from '../support/a11y.ts';
import { launchBrowser, screenshot } from '../support/browser.ts';

// Quotas in the app (decision 039): a workspace on a plan sees the banner at 90% of a quota and
// over it, and Settings → Usage shows its use against each limit.
let web: RunningWeb;
let browser: Browser;
let page: Page;
let writeKey = '';
const { db, close } = createDb({ connectionString: process.env.DATABASE_URL as string, max: 2 });

beforeAll(async () => {
  const topic = await testKafka().createTopic('usage-e2e', 1);
  web = await startWeb({ EVENTS_TOPIC: topic });
  browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL: web.url });
  page = await context.newPage();
  const email = `usage-${randomUUID().slice(0, 8)}@example.com`;
  await page.goto('/sign-up');
  await page.getByLabel('Your name').fill('Uma Usage');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Workspace name').fill('Metered');
  await page.getByLabel('Password').fill('violet-harbor-88-kite');
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await page.waitForURL('**/app/workflows');
  // The operator puts the new workspace on a small plan.
  const { rows } = await db.execute<{ tenant_id: string }>(sql`
    select s.current_tenant_id as tenant_id from sessions s join users u on u.id = s.user_id
    where lower(u.email) = ${email} limit 1`);
  const tenantId = rows[0]?.tenant_id as string;
  const plan = `e2e${Date.now().toString(36)}`;
  await createPlan(db, plan, { eventsPerMonth: 10, actionsPerDay: 100, overQuotaActions: 'drop' });
  await assignPlan(db, tenantId, plan);
  writeKey = (await withTenant(db, tenantId, (tx) => createApiKey(tx, { tenantId, name: 'e2e', scope: 'ingest' }))).key;
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await web?.stop();
  await close();
});

const track = (i: number) =>
  fetch(`${web.url}/v1/track`, {
    method: 'POST',
    headers: { authorization: `Bearer ${writeKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ userId: `u${i}`, event: 'metered' }),
  });

describe('usage page and quota banner (Chromium)', () => {
  it('warns at 90%, says when the month is used up, and shows use against the limits', async () => {
    await page.goto('/app/workflows');
    await expect(page.getByTestId('quota-banner').count()).resolves.toBe(0);

    for (let i = 0; i < 9; i++) expect((await track(i)).status).toBe(200);
    await page.goto('/app/workflows');
    const banner = page.getByTestId('quota-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('used 90% of its monthly quota of 10 events');

    await banner.getByRole('link', { name: 'See usage and limits' }).click();
    await page.waitForURL('**/app/settings/usage');
    const events = page.getByRole('meter', { name: 'Events this month' });
    await events.waitFor();
    expect(await events.getAttribute('value')).toBe('9');
    expect(await events.getAttribute('max')).toBe('10');
    expect(await page.getByRole('meter', { name: 'Actions today' }).getAttribute('value')).toBe('0');
    await expect(page.getByText('Actions over the quota are not sent').count()).resolves.toBe(1);
    await expect(page.getByText('no limit on this plan').count()).resolves.toBe(1); // workflows
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'usage-near');

    expect((await track(9)).status).toBe(200);
    const refused = await track(10);
    expect(refused.status).toBe(429);
    await page.reload();
    await page.getByRole('meter', { name: 'Events this month' }).waitFor();
    expect(await page.getByRole('meter', { name: 'Events this month' }).getAttribute('value')).toBe('10');
    expect(await page.getByTestId('quota-banner').textContent()).toContain(
      'used its monthly quota of 10 events: new events are refused until',
    );
    await screenshot(page, 'usage-over');

    // From Settings, too.
    await page.goto('/app/settings');
    await page.getByRole('link', { name: 'See usage and limits' }).first().click();
    await page.waitForURL('**/app/settings/usage');
  });
});
