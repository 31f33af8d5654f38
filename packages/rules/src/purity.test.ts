import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// packages/rules runs in the browser too: no Node built-ins, database or Kafka clients in src/.
const root = new URL('./', import.meta.url);
const sources = (readdirSync(root, { recursive: true }) as string[]).filter(
  (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.includes('test-helper'),
);

describe('purity', () => {
  it.each(sources)('%s imports nothing Node-only', (file) => {
    const text = readFileSync(new URL(file, root), 'utf8');
    const imports = [...text.matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)].map((m) => m[1]);
    for (const spec of imports) {
      expect(spec).not.toMatch(/^node:|^(fs|path|os|crypto|child_process|pg|kafkajs|pg-boss)(\/|$)/);
    }
    expect(text).not.toMatch(/\bprocess\.|\brequire\(/);
  });
});
