import { builtinRegistry, type WorkflowDocumentInput } from '@tripwire/rules';

type DocNode = WorkflowDocumentInput['nodes'][number];

/** What people call a node: its own label, or its type's ("Call a webhook"). */
export function nodeName(node: DocNode | undefined, nodeId: string): string {
  if (!node) return nodeId;
  const def = builtinRegistry.get(node.type, node.version ?? 1);
  return node.label || def?.label || node.type;
}

/** The node's one-line summary from its definition ("POST https://…", "wait 1 hour"). */
export function nodeSummary(node: DocNode | undefined): string {
  if (!node) return '';
  return builtinRegistry.get(node.type, node.version ?? 1)?.summary(node.config ?? {}) ?? '';
}

export const byId = (doc: WorkflowDocumentInput | null | undefined) =>
  new Map((doc?.nodes ?? []).map((n) => [n.id, n]));
