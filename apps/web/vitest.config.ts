import { defineConfig } from 'vitest/config';
import { reporters } from '../../vitest.shared.ts';

export default defineConfig({
  test: {
    include: ['{src,app,cli,test}/**/*.test.{ts,tsx}'],
    exclude: ['**/node_modules/**', '**/*.int.test.ts', '**/*.e2e.test.ts'],
    ...reporters('web-unit'),
  },
});
