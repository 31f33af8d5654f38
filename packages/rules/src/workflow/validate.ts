import type { NodeKind } from '../define-node-type.ts';
import type { RuleValidationError } from '../errors.ts';
import { plainIssueMessage } from '../messages/plain-messages.ts';
import { builtinRegistry } from '../nodes/builtin.ts';
import type { AnyNodeType, Registry } from '../registry.ts';
import { type WorkflowDocument, type WorkflowNode, workflowDocumentSchema } from './document.ts';
import { findCycles, type GraphEdge, reachableFrom } from './graph.ts';
import { lookupReferenceErrors } from './lookup-references.ts';
import { scanDocument } from './scan.ts';
import { fromZodIssues } from './zod-issues.ts';

const DOCUMENT_LABELS: Record<string, string> = {
  name: 'workflow name',
  description: 'description',
  label: 'node name',
};

function documentIssueMessage(issue: Parameters<typeof plainIssueMessage>[0]): string {
  const key = [...(issue.path ?? [])].reverse().find((p) => typeof p === 'string');
  return plainIssueMessage(issue, typeof key === 'string' ? DOCUMENT_LABELS[key] : undefined);
}

export interface ResolvedNode {
  node: WorkflowNode;
  index: number;
  /** Absent when the type or version is unknown. */
  nodeType?: AnyNodeType;
  /** Parsed config (defaults applied); absent when it does not validate. */
  config?: Record<string, unknown>;
}

/** A node of a workflow without errors. */
export type ValidNode = Required<ResolvedNode>;

export interface ResolvedEdge extends GraphEdge {
  handle: string;
}

export interface WorkflowAnalysis {
  errors: RuleValidationError[];
  document?: WorkflowDocument;
  nodes: ResolvedNode[];
  edges: ResolvedEdge[];
  trigger?: ResolvedNode;
}

export interface ValidateOptions {
  registry?: Registry;
}

/** Every problem with a workflow document, as a list. Never throws, whatever `input` is. */
export function validateWorkflow(input: unknown, options: ValidateOptions = {}): RuleValidationError[] {
  return analyseWorkflow(input, options).errors;
}

export function analyseWorkflow(input: unknown, options: ValidateOptions = {}): WorkflowAnalysis {
  try {
    return analyse(input, options.registry ?? builtinRegistry);
  } catch {
    // Only exotic inputs get here (proxies, throwing getters); they are not documents.
    return {
      errors: [{ path: [], code: 'document.invalid', message: 'Not a readable workflow document' }],
      nodes: [],
      edges: [],
    };
  }
}

function analyse(input: unknown, registry: Registry): WorkflowAnalysis {
  const empty = (errors: RuleValidationError[]): WorkflowAnalysis => ({ errors, nodes: [], edges: [] });
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return empty([{ path: [], code: 'document.not_object', message: 'A workflow document must be a JSON object' }]);
  }
  const scanned = scanDocument(input);
  if (scanned) return empty([scanned]);
  const parsed = workflowDocumentSchema.safeParse(input, { error: documentIssueMessage });
  if (!parsed.success) {
    const rawNodes = (input as { nodes?: unknown }).nodes;
    return empty(
      parsed.error.issues.flatMap((issue) => {
        const [first, index] = issue.path;
        const raw =
          first === 'nodes' && typeof index === 'number' && Array.isArray(rawNodes) ? rawNodes[index] : undefined;
        const nodeId = typeof raw?.id === 'string' ? raw.id : undefined;
        return fromZodIssues([issue], [], nodeId !== undefined ? { nodeId } : {});
      }),
    );
  }
  const document = parsed.data;
  const errors: RuleValidationError[] = [];
  const nodes = resolveNodes(document, registry, errors);
  const byId = new Map(nodes.map((n) => [n.node.id, n]));
  const edges = resolveEdges(document, byId, errors);

  const triggers = nodes.filter((n) => (n.nodeType?.kind satisfies NodeKind | undefined) === 'trigger');
  if (triggers.length === 0 && !errors.some((e) => e.code.startsWith('node.unknown'))) {
    errors.push({
      path: ['nodes'],
      code: 'workflow.trigger_count',
      message: 'A workflow needs exactly one trigger; it has none',
    });
  }
  for (const extra of triggers.slice(1)) {
    errors.push({
      nodeId: extra.node.id,
      path: ['nodes', extra.index],
      code: 'workflow.trigger_count',
      message: 'A workflow has exactly one trigger; remove this one or the other',
    });
  }

  const nodeIds = nodes.map((n) => n.node.id);
  errors.push(...findCycles(nodeIds, edges));
  const trigger = triggers[0];
  if (trigger) {
    const reachable = reachableFrom(trigger.node.id, edges);
    for (const n of nodes) {
      if (!reachable.has(n.node.id)) {
        errors.push({
          nodeId: n.node.id,
          path: ['nodes', n.index],
          code: 'node.unreachable',
          message: 'Nothing leads to this node from the trigger',
        });
      }
    }
  }
  errors.push(...lookupReferenceErrors(nodes, edges));
  return { errors, document, nodes, edges, ...(trigger ? { trigger } : {}) };
}

function resolveNodes(document: WorkflowDocument, registry: Registry, errors: RuleValidationError[]): ResolvedNode[] {
  const resolved: ResolvedNode[] = [];
  const seen = new Set<string>();
  document.nodes.forEach((node, index) => {
    const at = { nodeId: node.id };
    if (seen.has(node.id)) {
      errors.push({
        ...at,
        path: ['nodes', index, 'id'],
        code: 'node.duplicate_id',
        message: `Another node already has id ${node.id}`,
      });
      return;
    }
    seen.add(node.id);
    const nodeType = registry.get(node.type, node.version);
    if (!nodeType) {
      const known = registry.hasType(node.type);
      errors.push({
        ...at,
        path: ['nodes', index, known ? 'version' : 'type'],
        code: known ? 'node.unknown_version' : 'node.unknown_type',
        message: known
          ? `${node.type} has no version ${node.version} (known: ${registry.versions(node.type).join(', ')})`
          : `Unknown node type ${node.type}`,
      });
      // Still part of the graph, so one bad node does not make everything after it "unreachable".
      resolved.push({ node, index });
      return;
    }
    const labels = new Map(nodeType.fields.map((fld) => [fld.key, fld.label]));
    const config = nodeType.configSchema.safeParse(node.config, {
      error: (issue) => plainIssueMessage(issue, labels.get(String(issue.path?.[0] ?? ''))),
    });
    if (!config.success) {
      errors.push(...fromZodIssues(config.error.issues, ['nodes', index, 'config'], at));
      resolved.push({ node, index, nodeType });
      return;
    }
    const issues = nodeType.validate?.(config.data) ?? [];
    for (const issue of issues) errors.push({ ...at, ...issue, path: ['nodes', index, 'config', ...issue.path] });
    resolved.push({ node, index, nodeType, config: config.data as Record<string, unknown> });
  });
  return resolved;
}

function resolveEdges(
  document: WorkflowDocument,
  byId: Map<string, ResolvedNode>,
  errors: RuleValidationError[],
): ResolvedEdge[] {
  const resolved: ResolvedEdge[] = [];
  const ids = new Set<string>();
  const keys = new Set<string>();
  document.edges.forEach((edge, index) => {
    const at = { ...(edge.id !== undefined ? { edgeId: edge.id } : {}), path: ['edges', index] };
    if (edge.id !== undefined) {
      if (ids.has(edge.id)) {
        errors.push({ ...at, code: 'edge.duplicate_id', message: `Another edge already has id ${edge.id}` });
        return;
      }
      ids.add(edge.id);
    }
    const source = byId.get(edge.source);
    const target = byId.get(edge.target);
    if (!source) errors.push({ ...at, code: 'edge.unknown_source', message: `No node ${edge.source}` });
    if (!target) errors.push({ ...at, code: 'edge.unknown_target', message: `No node ${edge.target}` });
    if (!source || !target) return;
    let handle = edge.sourceHandle;
    if (!source.nodeType) {
      // Unknown type: its outputs are unknown too, and the node already carries an error.
      resolved.push({
        index,
        source: edge.source,
        target: edge.target,
        handle: handle ?? '',
        ...(edge.id !== undefined ? { id: edge.id } : {}),
      });
      return;
    }
    const outputs: readonly string[] = source.nodeType.outputs;
    if (handle === undefined) {
      if (outputs.length !== 1) {
        errors.push({
          ...at,
          nodeId: source.node.id,
          code: 'edge.handle_required',
          message: `${source.nodeType.label} has several outputs (${outputs.join(', ')}); say which one`,
        });
        return;
      }
      handle = outputs[0] as string;
    } else if (!outputs.includes(handle)) {
      errors.push({
        ...at,
        nodeId: source.node.id,
        code: 'edge.unknown_handle',
        message: `${source.nodeType.label} has no output ${JSON.stringify(handle)} (outputs: ${outputs.join(', ')})`,
      });
      return;
    }
    if (target.nodeType?.kind === 'trigger') {
      errors.push({
        ...at,
        nodeId: target.node.id,
        code: 'edge.into_trigger',
        message: 'A trigger cannot have incoming edges',
      });
      return;
    }
    const key = JSON.stringify([edge.source, handle, edge.target]);
    if (keys.has(key)) {
      errors.push({ ...at, code: 'edge.duplicate', message: 'The same connection exists twice' });
      return;
    }
    keys.add(key);
    resolved.push({
      index,
      source: edge.source,
      target: edge.target,
      handle,
      ...(edge.id !== undefined ? { id: edge.id } : {}),
    });
  });
  return resolved;
}
