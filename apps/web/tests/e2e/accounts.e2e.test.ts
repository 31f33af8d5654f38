import { randomUUID } from 'node:crypto';
import { type RunningWeb, startWeb } from '@tripwire/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from '../support/browser.ts';

let web: RunningWeb;
let browser: Browser;
const password = 'violet-harbor-88-kite';
const unique = () => randomUUID().slice(0, 8);

beforeAll(async () => {
  web = await startWeb();
  browser = await launchBrowser();
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await web?.stop();
});

async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL: web.url });
  return { context, page: await context.newPage() };
}

async function signUp(page: Page, email: string, workspace: string, path = '/sign-up') {
  await page.goto(path);
  await page.getByLabel('Your name').fill('Olive Owner');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Workspace name').fill(workspace);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create workspace' }).click();
}

async function signIn(page: Page, email: string, pass = password) {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(pass);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe('accounts in the browser (Chromium)', () => {
  it('signs up, signs out, refuses a wrong password, signs in', async () => {
    const { context, page } = await newPage();
    const email = `owner-${unique()}@example.com`;
    await signUp(page, email, 'Acme Growth');
    await page.waitForURL('**/app/workflows');
    await expect(page.getByLabel('Workspace').inputValue()).resolves.toBeTruthy();
    await expect(page.getByLabel('Workspace').locator('option:checked').textContent()).resolves.toBe(
      'Acme Growth (owner)',
    );
    await screenshot(page, 'accounts-signed-up');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/sign-in');
    await page.goto('/app/keys');
    await page.waitForURL('**/sign-in?next=%2Fapp%2Fkeys');

    await signIn(page, email, 'not-the-password');
    await expect(page.getByRole('alert').textContent()).resolves.toBe('Wrong email or password');
    await screenshot(page, 'accounts-wrong-password');
    await signIn(page, email);
    await page.waitForURL('**/app/workflows');
    await context.close();
  });

  it('throttles repeated failed sign-ins with a clear message', async () => {
    const { context, page } = await newPage();
    const email = `throttle-${unique()}@example.com`;
    await signUp(page, email, 'Throttle Co');
    await page.waitForURL('**/app/workflows');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL('**/sign-in');
    for (let i = 0; i < 5; i++) {
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(`wrong-password-${i}`);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByText('Wrong email or password').waitFor();
    }
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(/Too many failed attempts\. Try again in \d+ minutes?\./).waitFor();
    await screenshot(page, 'accounts-throttled');
    await context.close();
  });

  it('invites a viewer who cannot edit (hidden and refused), then promotes them to editor', async () => {
    const owner = await newPage();
    await signUp(owner.page, `owner-${unique()}@example.com`, 'Invite Co');
    await owner.page.waitForURL('**/app/workflows');
    await owner.page.getByRole('link', { name: 'Members' }).click();
    await owner.page.getByLabel('Role', { exact: true }).selectOption('viewer');
    await owner.page.getByRole('button', { name: 'Create invitation link' }).click();
    const link = await owner.page.getByLabel('Invitation link (valid 7 days)').inputValue();
    expect(link).toMatch(/\/invite\/[\w-]+$/);

    const guest = await newPage();
    const guestEmail = `viewer-${unique()}@example.com`;
    await guest.page.goto(new URL(link as string).pathname);
    await guest.page.getByRole('heading', { name: 'Join Invite Co' }).waitFor();
    await guest.page.getByRole('link', { name: 'Create an account' }).click();
    await guest.page.getByLabel('Your name').fill('Vera Viewer');
    await guest.page.getByLabel('Email').fill(guestEmail);
    await guest.page.getByLabel('Workspace name').fill('Vera personal');
    await guest.page.getByLabel('Password').fill(password);
    await guest.page.getByRole('button', { name: 'Create workspace' }).click();
    await guest.page.getByRole('button', { name: 'Accept invitation' }).click();
    await guest.page.waitForURL('**/app/workflows');
    await expect(guest.page.getByLabel('Workspace').locator('option:checked').textContent()).resolves.toBe(
      'Invite Co (viewer)',
    );

    // Viewer: no edit controls, no Keys in the nav, and the server refuses anyway.
    await guest.page.getByText('You can view workflows').waitFor();
    expect(await guest.page.getByRole('button', { name: 'Create workflow' }).count()).toBe(0);
    expect(await guest.page.getByRole('link', { name: 'Keys' }).count()).toBe(0);
    const refused = await guest.page.evaluate(async () => {
      const res = await fetch('/trpc/workflows.create', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ json: { name: 'sneaky' } }),
      });
      return { status: res.status, body: await res.text() };
    });
    expect(refused.status).toBe(403);
    expect(refused.body).toContain('This needs the editor role; you are a viewer');
    await screenshot(guest.page, 'accounts-viewer');

    // The owner promotes them; after a reload the editor controls appear.
    await owner.page.reload();
    await owner.page.getByLabel(`Role of ${guestEmail}`).selectOption('editor');
    await owner.page.waitForResponse((r) => r.url().includes('members.changeRole') && r.ok());
    await guest.page.reload();
    await guest.page.getByRole('button', { name: 'Create workflow' }).waitFor();
    await guest.page.getByLabel('Name', { exact: true }).fill('Made by the editor');
    await guest.page.getByRole('button', { name: 'Create workflow' }).click();
    await guest.page.waitForURL('**/app/workflows/*');
    await guest.page.getByRole('heading', { name: 'Made by the editor' }).waitFor();
    await screenshot(owner.page, 'accounts-members');
    await owner.context.close();
    await guest.context.close();
  });

  it('creates an API key shown once, and a revoked key is refused by /v1/track', async () => {
    const { context, page } = await newPage();
    await signUp(page, `keys-${unique()}@example.com`, 'Keys Co');
    await page.waitForURL('**/app/workflows');
    await page.getByRole('link', { name: 'Keys' }).click();
    await page.getByLabel('Key name').fill('segment');
    await page.getByRole('button', { name: 'Create key' }).click();
    const key = await page.getByLabel('New ingest key “segment”').inputValue();
    expect(key).toMatch(/^tw_wk_/);
    await screenshot(page, 'accounts-key-created');

    const track = (k: string) =>
      fetch(`${web.url}/v1/track`, {
        method: 'POST',
        headers: { authorization: `Bearer ${k}`, 'content-type': 'application/json' },
        body: JSON.stringify({ userId: 'u1', event: 'E2E Checked' }),
      });
    expect((await track(key)).status).toBe(200);

    await page.getByRole('button', { name: 'Revoke segment' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke key' }).click();
    await page
      .getByRole('row', { name: /segment/ })
      .getByText('revoked')
      .waitFor();
    expect((await track(key)).status).toBe(401);
    await context.close();
  });

  it('switches between workspaces, each with its own workflows', async () => {
    const { context, page } = await newPage();
    await signUp(page, `multi-${unique()}@example.com`, 'First Space');
    await page.waitForURL('**/app/workflows');
    await page.getByLabel('Name', { exact: true }).fill('Only in first');
    await page.getByRole('button', { name: 'Create workflow' }).click();
    await page.waitForURL('**/app/workflows/*');
    await page.getByRole('link', { name: 'Workflows' }).click();
    await page.getByRole('cell', { name: 'Only in first' }).waitFor();

    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('New workspace name').fill('Second Space');
    await page.getByRole('button', { name: 'Create workspace' }).click();
    await page.waitForURL('**/app/workflows');
    await expect(page.getByLabel('Workspace').locator('option:checked').textContent()).resolves.toBe(
      'Second Space (owner)',
    );
    await page.getByText('No workflows yet').waitFor();

    await page.getByLabel('Workspace').selectOption({ label: 'First Space (owner)' });
    await page.getByRole('cell', { name: 'Only in first' }).waitFor();
    await screenshot(page, 'accounts-switched');
    await context.close();
  });
});
