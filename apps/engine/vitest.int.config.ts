import { defineConfig } from 'vitest/config';
import { integrationEnv } from '../../vitest.int.shared.ts';
import { reporters } from '../../vitest.shared.ts';

export default defineConfig({
  test: {
    include: ['{src,test}/**/*.int.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    // Engines, brokers and pg-boss on 2 cores: one file at a time keeps timings honest.
    fileParallelism: false,
    env: integrationEnv,
    ...reporters('engine-int'),
  },
});
