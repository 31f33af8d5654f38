import { defineConfig } from 'vitest/config';
import { integrationEnv } from '../../vitest.int.shared.ts';
import { reporters } from '../../vitest.shared.ts';

export default defineConfig({
  test: {
    include: ['{src,test}/**/*.int.test.ts'],
    testTimeout: 30_000,
    env: integrationEnv,
    ...reporters('db-int'),
  },
});
