import { describe, expect, it } from 'vitest';
import { defineNodeType } from '../define-node-type.ts';
import { f } from '../fields.ts';
import { builtinNodeTypes } from '../nodes/builtin.ts';
import { createRegistry } from '../registry.ts';
import { nodeUpgrade } from './upgrade-node.ts';

const v1 = defineNodeType({
  type: 'test.greet',
  version: 1,
  kind: 'action',
  label: 'Greet',
  description: 'Version 1 takes a name.',
  icon: 'hand',
  outputs: ['next'],
  config: { name: f.string({ label: 'Name' }) },
});
const v2 = defineNodeType({
  type: 'test.greet',
  version: 2,
  kind: 'action',
  label: 'Greet',
  description: 'Version 2 takes a whole greeting.',
  icon: 'hand',
  outputs: ['next'],
  config: { greeting: f.template({ label: 'Greeting' }) },
  migrate: { from: 1, config: (old) => ({ greeting: `Hello ${String(old.name)}` }) },
});

describe('node versions', () => {
  const registry = createRegistry([...builtinNodeTypes, v1, v2]);

  it('offers the latest version for new nodes (the palette uses latest)', () => {
    expect(registry.latest('test.greet')).toBe(v2);
    expect(registry.get('test.greet', 1)).toBe(v1);
  });

  it('upgrades a node of the version the definition migrates from, leaving the node itself alone', () => {
    const node = { type: 'test.greet', version: 1, config: { name: 'Ada' } };
    expect(nodeUpgrade(registry, node)).toEqual({ version: 2, config: { greeting: 'Hello Ada' } });
    expect(node.config).toEqual({ name: 'Ada' });
    expect(v2.configSchema.safeParse(nodeUpgrade(registry, node)?.config).success).toBe(true);
  });

  it('offers nothing for the latest version, a type without migrate or an unknown type', () => {
    expect(nodeUpgrade(registry, { type: 'test.greet', version: 2, config: {} })).toBeUndefined();
    expect(nodeUpgrade(registry, { type: 'action.log', version: 1, config: {} })).toBeUndefined();
    expect(nodeUpgrade(registry, { type: 'nope.nope', version: 1, config: {} })).toBeUndefined();
  });
});
