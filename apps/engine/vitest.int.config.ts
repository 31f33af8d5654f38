import { defineConfig } from 'vitest/config';
import { integrationEnv } from '../../vitest.int.shared.ts';
import { reporters } from '../../vitest.shared.ts';

export default defineConfig({
  test: {
    include: ['{src,app,cli,test}/**/*.int.test.{ts,tsx}'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    env: integrationEnv,
    ...reporters('engine-int'),
  },
});
