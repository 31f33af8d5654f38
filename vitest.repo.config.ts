import { defineConfig } from 'vitest/config';
import { reporters } from './vitest.shared.ts';

// Repository-level checks (config files that no package owns).
export default defineConfig({ test: { include: ['tests/repo/**/*.test.ts'], ...reporters('repo') } });
