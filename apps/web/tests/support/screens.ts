// Screenshots of every page at the two screen sizes people use, into the test report
// ($TRIPWIRE_TEST_REPORT_DIR/screenshots, set by scripts/test.sh) or apps/web/test-results.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { artifactsDir } from './browser.ts';

export const SIZES = [
  { width: 1280, height: 720 },
  { width: 1440, height: 900 },
] as const;

export function screenshotsDir(): string {
  const base = process.env.TRIPWIRE_TEST_REPORT_DIR ?? artifactsDir;
  const dir = join(base, 'screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}

export async function shot(page: Page, name: string): Promise<string> {
  const size = page.viewportSize();
  const path = join(screenshotsDir(), `${name}-${size?.width}x${size?.height}.png`);
  await page.screenshot({ path });
  return path;
}
