import type { Registry } from '../registry.ts';

export interface Upgrade {
  version: number;
  config: Record<string, unknown>;
}

/**
 * The newer version a stored node can be upgraded to: the latest version of its type, when that
 * definition migrates from the node's version (`migrate.from`). Undefined when there is none.
 */
export function nodeUpgrade(
  registry: Registry,
  node: { type: string; version: number; config: Record<string, unknown> },
): Upgrade | undefined {
  const latest = registry.latest(node.type);
  if (!latest || latest.version <= node.version || latest.migrate?.from !== node.version) return undefined;
  return { version: latest.version, config: latest.migrate.config(structuredClone(node.config)) };
}
