import { builtinRegistry } from '../nodes/builtin.ts';
import type { Registry } from '../registry.ts';
import type { WorkflowDocumentInput } from '../workflow/document.ts';

const COMPARE = new Set(['==', '===', '>=', '>', '<=', '<', '!=', '!==']);

/** Property values the rules of a flow compare with, so a made-up event takes the "true" path. */
function collect(logic: unknown, out: Map<string, unknown>): void {
  if (Array.isArray(logic)) {
    for (const item of logic) collect(item, out);
    return;
  }
  if (!logic || typeof logic !== 'object') return;
  for (const [op, raw] of Object.entries(logic)) {
    const args = Array.isArray(raw) ? raw : [raw];
    const path = (args[0] as { var?: unknown } | undefined)?.var;
    if (COMPARE.has(op) && typeof path === 'string' && path.startsWith('event.properties.')) {
      const key = path.slice('event.properties.'.length);
      const value = args[1];
      if (typeof value === 'number') out.set(key, op === '>' ? value + 1 : op === '<' ? value - 1 : value);
      else if (typeof value === 'string' || typeof value === 'boolean') {
        if (!op.startsWith('!')) out.set(key, value);
      } else if (!out.has(key)) out.set(key, 'example');
    } else collect(args, out);
  }
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let at = target;
  for (const part of parts.slice(0, -1)) {
    if (typeof at[part] !== 'object' || at[part] === null) at[part] = {};
    at = at[part] as Record<string, unknown>;
  }
  at[parts.at(-1) as string] = value;
}

/**
 * A made-up event that starts this flow: its trigger's event name, and properties with values
 * its rules compare with. For a workspace with no real event yet.
 */
export function sampleEventFor(
  doc: Pick<WorkflowDocumentInput, 'nodes'>,
  registry: Registry = builtinRegistry,
): { name: string; userId: string; properties: Record<string, unknown> } {
  const trigger = doc.nodes.find((n) => registry.get(n.type, n.version ?? 1)?.kind === 'trigger');
  const values = new Map<string, unknown>();
  for (const node of doc.nodes) {
    const type = registry.get(node.type, node.version ?? 1);
    for (const field of type?.fields ?? []) {
      if (field.widget === 'json-logic') collect(node.config[field.key], values);
    }
  }
  const properties: Record<string, unknown> = {};
  for (const [path, value] of values) setPath(properties, path, value);
  const name = typeof trigger?.config.event === 'string' && trigger.config.event ? trigger.config.event : 'test_event';
  return { name, userId: 'test-user-1', properties };
}
