// Debian's Chromium driven by playwright-core (playwright cannot download its own browser here).
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

export const artifactsDir = fileURLToPath(new URL('../../test-results/', import.meta.url));

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}

/** Saves a full-page screenshot as a test artifact (apps/web/test-results/<name>.png). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(artifactsDir, { recursive: true });
  const path = `${artifactsDir}${name}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Saves what a person sees (the 1280x720 viewport) for the report: under
 * $TRIPWIRE_TEST_REPORT_DIR/screenshots/ when `npm test` runs, else next to the other artifacts.
 */
export async function reportScreenshot(page: Page, name: string): Promise<string> {
  const report = process.env.TRIPWIRE_TEST_REPORT_DIR;
  const dir = report ? `${report.replace(/\/$/, '')}/screenshots/` : artifactsDir;
  mkdirSync(dir, { recursive: true });
  const path = `${dir}${name}.png`;
  await page.screenshot({ path });
  return path;
}
