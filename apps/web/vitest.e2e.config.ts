import { defineConfig } from 'vitest/config';
import { integrationEnv } from '../../vitest.int.shared.ts';
import { reporters } from '../../vitest.shared.ts';

// Browser tests drive the built app in Debian's Chromium through playwright-core.
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 90_000,
    fileParallelism: false,
    env: integrationEnv,
    ...reporters('web-e2e'),
  },
});
