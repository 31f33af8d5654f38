import { defineConfig } from 'vitest/config';
import { integrationEnv } from '../../vitest.int.shared.ts';
import { reporters } from '../../vitest.shared.ts';

export default defineConfig({
  test: { include: ['src/**/*.int.test.ts'], env: integrationEnv, testTimeout: 30_000, ...reporters('platform-int') },
});
