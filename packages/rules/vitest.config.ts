import { defineConfig } from 'vitest/config';
import { reporters } from '../../vitest.shared.ts';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'bench/**/*.test.ts'],
    // The property-based tests take a few seconds of CPU each; on a busy 2-core machine the default
    // 5 s is a coin toss, and a timeout says nothing about whether the implementations agree.
    testTimeout: 30_000,
    ...reporters('rules-unit'),
  },
});
