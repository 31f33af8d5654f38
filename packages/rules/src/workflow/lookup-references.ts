import type { RuleValidationError } from '../errors.ts';
import { logicReads } from '../logic/reads.ts';
import { templatePaths } from '../template/template.ts';
import { type GraphEdge, reachableFrom } from './graph.ts';
import type { ResolvedNode } from './validate.ts';

// `lookup.<id>.…` in a rule or template reads what an earlier "Look up" node of the run answered.
// A reference to a node that is not one, or that no path passes before the reader, would always
// be empty: that is a mistake to show on the node now, not a silent "not set" at run time.

function pathsOf(n: ResolvedNode): { field: string; paths: string[] }[] {
  if (!n.nodeType || !n.config) return [];
  const out: { field: string; paths: string[] }[] = [];
  for (const field of n.nodeType.fields) {
    const value = n.config[field.key];
    if (value === undefined) continue;
    if (field.widget === 'json-logic') out.push({ field: field.key, paths: logicReads(value).paths });
    else if (field.widget === 'template' || field.templated)
      out.push({ field: field.key, paths: templatePaths(value) });
  }
  return out;
}

export function lookupReferenceErrors(nodes: ResolvedNode[], edges: GraphEdge[]): RuleValidationError[] {
  const byId = new Map(nodes.map((n) => [n.node.id, n]));
  const errors: RuleValidationError[] = [];
  for (const n of nodes) {
    for (const { field, paths } of pathsOf(n)) {
      for (const path of paths) {
        const [root, id] = path.split('.');
        if (root !== 'lookup') continue;
        const at = { nodeId: n.node.id, path: ['nodes', n.index, 'config', field] };
        const source = id === undefined ? undefined : byId.get(id);
        if (!source?.nodeType?.runtime.addsData) {
          errors.push({
            ...at,
            code: 'lookup.unknown_node',
            message:
              id === undefined
                ? 'Say which look-up to read: lookup.<node id>.<field>'
                : `${path} reads a look-up, but no Look up node has the id ${id}`,
          });
        } else if (id === n.node.id || !reachableFrom(id as string, edges).has(n.node.id)) {
          errors.push({
            ...at,
            code: 'lookup.not_before',
            message: `${path} is read here, but the Look up node ${id} does not come before this node`,
          });
        }
      }
    }
  }
  return errors;
}
