import { readFileSync } from 'node:fs';
import { builtinRegistry, nodeReference } from '@tripwire/rules';
import { describe, expect, it } from 'vitest';

describe('docs/nodes.md', () => {
  it('is the reference generated from the node definitions (npm run docs:nodes writes it)', () => {
    const committed = readFileSync(new URL('../../docs/nodes.md', import.meta.url), 'utf8');
    expect(committed, 'docs/nodes.md is stale: run npm run docs:nodes').toBe(nodeReference(builtinRegistry));
  });
});
