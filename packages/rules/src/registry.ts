import { type NodeType, nodeKey } from './define-node-type.ts';

// Keyed `type@version` so a published workflow keeps the definition it was built with after a
// node type gains a new version.

// biome-ignore lint/suspicious/noExplicitAny: a registry holds node types of every config shape.
export type AnyNodeType = NodeType<any, any>;

export interface Registry {
  register(nodeType: AnyNodeType): void;
  get(type: string, version: number): AnyNodeType | undefined;
  /** Whether any version of the type exists (to tell "unknown type" from "unknown version"). */
  hasType(type: string): boolean;
  versions(type: string): number[];
  latest(type: string): AnyNodeType | undefined;
  list(): AnyNodeType[];
}

export function createRegistry(nodeTypes: readonly AnyNodeType[] = []): Registry {
  const byKey = new Map<string, AnyNodeType>();
  const registry: Registry = {
    register(nodeType) {
      if (byKey.has(nodeType.key)) throw new Error(`Node type ${nodeType.key} is already registered`);
      byKey.set(nodeType.key, nodeType);
    },
    get: (type, version) => byKey.get(nodeKey(type, version)),
    hasType: (type) => registry.versions(type).length > 0,
    versions: (type) =>
      [...byKey.values()]
        .filter((t) => t.type === type)
        .map((t) => t.version)
        .sort((a, b) => a - b),
    latest(type) {
      const versions = registry.versions(type);
      const last = versions[versions.length - 1];
      return last === undefined ? undefined : registry.get(type, last);
    },
    list: () => [...byKey.values()],
  };
  for (const nodeType of nodeTypes) registry.register(nodeType);
  return registry;
}
