// What changed between two versions of a workflow, field by field, in words: the version history
// and the publish review show these lines instead of node ids.
import { describeLogic } from '../conditions/describe-logic.ts';
import { describeDuration } from '../duration/human-duration.ts';
import type { FieldMeta } from '../fields.ts';
import { builtinRegistry } from '../nodes/builtin.ts';
import type { Registry } from '../registry.ts';
import { diffWorkflows } from '../workflow/diff-workflows.ts';
import type { WorkflowDocumentInput } from '../workflow/document.ts';
import { sameJson } from '../workflow/same-json.ts';
import { describeValue } from './describe-run.ts';
import { nodeNames } from './node-names.ts';

export interface ChangeLine {
  nodeId?: string;
  kind: 'added' | 'removed' | 'changed' | 'renamed' | 'connected' | 'disconnected' | 'workflow';
  text: string;
  before?: string;
  after?: string;
}

function fieldText(meta: FieldMeta | undefined, value: unknown): string {
  if (value === undefined) return 'not set';
  if (meta?.secret) return 'hidden';
  switch (meta?.widget) {
    case 'json-logic':
      return describeLogic(value);
    case 'duration':
      return describeDuration(value);
    default:
      return describeValue(value);
  }
}

/** Every difference a person would care about; positions are left out (moving a box changes nothing). */
export function describeChanges(
  before: WorkflowDocumentInput,
  after: WorkflowDocumentInput,
  registry: Registry = builtinRegistry,
): ChangeLine[] {
  const diff = diffWorkflows(before, after, registry);
  const oldName = nodeNames(before, registry);
  const newName = nodeNames(after, registry);
  const oldNodes = new Map(before.nodes.map((n) => [n.id, n]));
  const newNodes = new Map(after.nodes.map((n) => [n.id, n]));
  const lines: ChangeLine[] = [];
  if (before.name !== after.name)
    lines.push({ kind: 'workflow', text: 'Workflow name', before: before.name, after: after.name });
  for (const id of diff.nodes.added) {
    const node = newNodes.get(id);
    const type = node && registry.get(node.type, node.version ?? 1);
    const summary = type && node ? type.summary(node.config) : '';
    lines.push({ nodeId: id, kind: 'added', text: `Added ${newName(id)}${summary ? ` (${summary})` : ''}` });
  }
  for (const id of diff.nodes.removed) lines.push({ nodeId: id, kind: 'removed', text: `Removed ${oldName(id)}` });
  for (const id of newNodes.keys()) {
    const a = oldNodes.get(id);
    const b = newNodes.get(id);
    if (!a || !b) continue;
    if ((a.label ?? '') !== (b.label ?? ''))
      lines.push({ nodeId: id, kind: 'renamed', text: 'Name', before: oldName(id), after: newName(id) });
    if (!diff.nodes.changed.includes(id)) continue;
    const type = registry.get(b.type, b.version ?? 1);
    if (a.type !== b.type || (a.version ?? 1) !== (b.version ?? 1)) {
      lines.push({ nodeId: id, kind: 'changed', text: `${newName(id)}: node type`, before: a.type, after: b.type });
      continue;
    }
    const keys = new Set([...Object.keys(a.config), ...Object.keys(b.config)]);
    for (const key of keys) {
      if (sameJson(a.config[key], b.config[key])) continue;
      const meta = type?.fields.find((f) => f.key === key);
      lines.push({
        nodeId: id,
        kind: 'changed',
        text: `${newName(id)}: ${meta?.label ?? key}`,
        before: fieldText(meta, a.config[key]),
        after: fieldText(meta, b.config[key]),
      });
    }
  }
  const edgeText = (key: string, name: (id: string) => string) => {
    const m = /^(.*):(.*)->(.*)$/.exec(key);
    if (!m) return key;
    const [, source = '', handle = '', target = ''] = m;
    return `${name(source)}${handle && handle !== 'next' ? ` (${handle})` : ''} → ${name(target)}`;
  };
  for (const key of diff.edges.added) lines.push({ kind: 'connected', text: `Connected ${edgeText(key, newName)}` });
  for (const key of diff.edges.removed)
    lines.push({ kind: 'disconnected', text: `Disconnected ${edgeText(key, oldName)}` });
  return lines;
}
