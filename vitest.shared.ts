// Shared by every package's vitest configs. When scripts/test.sh sets TRIPWIRE_TEST_REPORT_DIR,
// each run also writes a JSON report there, so one closing line can sum the whole suite.
import { resolve } from 'node:path';

export function reporters(name: string) {
  const dir = process.env.TRIPWIRE_TEST_REPORT_DIR;
  if (!dir) return {};
  return {
    reporters: ['default', 'json'],
    outputFile: { json: resolve(dir, `${name}.json`) },
  };
}
