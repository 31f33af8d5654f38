import { builtinRegistry } from '../nodes/builtin.ts';
import type { Registry } from '../registry.ts';
import type { WorkflowDocumentInput } from '../workflow/document.ts';

type DocNode = WorkflowDocumentInput['nodes'][number];

/**
 * What people call a node: its own name when it has one, else its type's label; repeated labels
 * get a number ("Call a webhook 2") so three webhooks are three different things in a sentence.
 */
export function nodeNames(doc: Pick<WorkflowDocumentInput, 'nodes'>, registry: Registry = builtinRegistry) {
  const names = new Map<string, string>();
  const typeLabel = (n: DocNode) => registry.get(n.type, n.version ?? 1)?.label ?? n.type;
  const unnamed = doc.nodes.filter((n) => !n.label?.trim());
  const perLabel = new Map<string, number>();
  for (const n of unnamed) perLabel.set(typeLabel(n), (perLabel.get(typeLabel(n)) ?? 0) + 1);
  const seen = new Map<string, number>();
  for (const n of doc.nodes) {
    const own = n.label?.trim();
    if (own) {
      names.set(n.id, own);
      continue;
    }
    const label = typeLabel(n);
    const index = (seen.get(label) ?? 0) + 1;
    seen.set(label, index);
    names.set(n.id, (perLabel.get(label) ?? 0) > 1 ? `${label} ${index}` : label);
  }
  return (id: string) => names.get(id) ?? id;
}
