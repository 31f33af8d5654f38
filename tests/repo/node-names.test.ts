import { readdirSync, readFileSync } from 'node:fs';
import { builtinRegistry } from '@tripwire/rules';
import { describe, expect, it } from 'vitest';

// A node type's behaviour lives in its definition (packages/rules). A built-in type's name written
// in apps/ is a decision about that type made somewhere else: the copy that drifts.
const apps = new URL('../../apps/', import.meta.url);
const sources = (readdirSync(apps, { recursive: true }) as string[]).filter(
  (f) =>
    /\.(ts|tsx)$/.test(f) &&
    !/(^|\/)(node_modules|dist|build|test|tests|bench|fuzz)\//.test(f) &&
    !/\.test\.tsx?$/.test(f) &&
    !f.includes('.react-router'),
);
const names = [...new Set(builtinRegistry.list().map((t) => t.type))];

describe('node type names', () => {
  it('has sources to check', () => {
    expect(sources.length).toBeGreaterThan(50);
  });

  it('no built-in node type name appears as a string in apps/ outside tests', () => {
    const found = sources.flatMap((file) => {
      const text = readFileSync(new URL(file, apps), 'utf8');
      return names
        .filter((n) => new RegExp(`['"\`]${n.replace('.', '\\.')}['"\`]`).test(text))
        .map((n) => `${file}: ${n}`);
    });
    expect(found).toEqual([]);
  });
});
