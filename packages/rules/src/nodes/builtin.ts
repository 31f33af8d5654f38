import { NODE_KINDS } from '../define-node-type.ts';
import { type AnyNodeType, createRegistry } from '../registry.ts';
import * as definitions from './index.ts';

/** The built-in node types, by kind (trigger first) and then by label, as the palette lists them. */
export const builtinNodeTypes: readonly AnyNodeType[] = Object.values(definitions as Record<string, AnyNodeType>).sort(
  (a, b) => NODE_KINDS.indexOf(a.kind) - NODE_KINDS.indexOf(b.kind) || a.label.localeCompare(b.label),
);

export const builtinRegistry = createRegistry(builtinNodeTypes);
