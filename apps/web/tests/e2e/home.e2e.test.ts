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
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
});
afterAll(async () => {
  await browser?.close();
  await web?.stop();
});

describe('web app in Chromium', () => {
  it('serves the home page with the flow steps and no script errors', async () => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const response = await page.goto(web.url);
    expect(response?.status()).toBe(200);
    // Pages may not be framed by any site.
    const headers = response?.headers() ?? {};
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['content-security-policy']).toContain("default-src 'self'");
    expect(headers['x-content-type-options']).toBe('nosniff');
    await expect(page.title()).resolves.toBe('Tripwire');
    const steps = await page.getByRole('region', { name: 'How a flow runs' }).innerText();
    expect(steps.replace(/\s+/g, ' ')).toContain('Source → Condition → Wait → Action');
    await screenshot(page, 'home');
    expect(errors).toEqual([]);
  });

  it('answers an unknown address with a 404 page', async () => {
    const response = await page.goto(`${web.url}/no/such/page`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { name: 'Page not found' }).isVisible()).resolves.toBe(true);
  });
});
