// Sums the vitest JSON reports of one `npm test` run into the closing line CI reads.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
let passed = 0;
let failed = 0;
let skipped = 0;
const rows = [];
for (const file of readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()) {
  const report = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const p = report.numPassedTests ?? 0;
  const f = (report.numFailedTests ?? 0) + (report.numRuntimeErrorTestSuites ?? 0);
  const s = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  passed += p;
  failed += f;
  skipped += s;
  rows.push(
    `  ${file.replace(/\.json$/, '').padEnd(28)} ${String(p).padStart(5)} passed ${String(f).padStart(4)} failed`,
  );
}
console.log('\nTest suites:');
console.log(rows.join('\n'));
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
