import { durationMs } from '../duration/duration.ts';
import { WorkflowValidationError } from '../errors.ts';
import { logicReads, userFieldsOf } from '../logic/reads.ts';
import type { Registry } from '../registry.ts';
import { templatePaths } from '../template/template.ts';
import { analyseWorkflow, type ValidNode } from '../workflow/validate.ts';
import {
  COMPILER_VERSION,
  type EventRoute,
  type ExecutionPlan,
  type PlanNode,
  type PlanRule,
  type PlanTemplate,
} from './plan.ts';

export interface CompileOptions {
  registry?: Registry;
}

/** Validates and compiles a workflow document; throws WorkflowValidationError with every problem. */
export function compileWorkflow(input: unknown, options: CompileOptions = {}): ExecutionPlan {
  const analysis = analyseWorkflow(input, options);
  const { document, trigger } = analysis;
  if (analysis.errors.length > 0 || !document || !trigger) throw new WorkflowValidationError(analysis.errors);
  const nodes = analysis.nodes as ValidNode[];

  const next = new Map<string, Record<string, string[]>>();
  for (const n of nodes)
    next.set(n.node.id, Object.fromEntries(n.nodeType.outputs.map((o: string) => [o, [] as string[]])));
  for (const edge of analysis.edges) next.get(edge.source)?.[edge.handle]?.push(edge.target);

  const events = new Map<string, EventRoute>();
  const userFields = new Set<string>();
  const planNodes = nodes.map((n): [string, PlanNode] => {
    const planNode = compileNode(n, next.get(n.node.id) ?? {});
    for (const item of [...Object.values(planNode.rules), ...Object.values(planNode.templates)]) {
      for (const field of item.userFields) userFields.add(field);
    }
    for (const interest of n.nodeType.events?.(n.config) ?? []) {
      const route = events.get(interest.event) ?? { triggers: [], waits: [], counts: [] };
      route[interest.as === 'trigger' ? 'triggers' : interest.as === 'wait' ? 'waits' : 'counts'].push(n.node.id);
      events.set(interest.event, route);
    }
    return [n.node.id, planNode];
  });

  return {
    compilerVersion: COMPILER_VERSION,
    name: document.name,
    trigger: trigger.node.id,
    // fromEntries defines own properties, so ids like "__proto__" stay plain keys.
    nodes: Object.fromEntries(planNodes),
    events: Object.fromEntries([...events.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    userFields: userFields.has('*') ? ['*'] : [...userFields].sort(),
  };
}

function compileNode(n: ValidNode, next: Record<string, string[]>): PlanNode {
  const rules: [string, PlanRule][] = [];
  const templates: [string, PlanTemplate][] = [];
  const durations: [string, number][] = [];
  // The field's widget says what it holds, so new node types get this for free.
  for (const field of n.nodeType.fields) {
    const value = n.config[field.key];
    if (value === undefined) continue;
    if (field.widget === 'json-logic') {
      const reads = logicReads(value);
      rules.push([field.key, { logic: value, paths: reads.paths, userFields: userFieldsOf(reads) }]);
    } else if (field.widget === 'template' || field.templated) {
      const paths = templatePaths(value);
      templates.push([field.key, { template: value, userFields: userFieldsOf({ paths, dynamic: false }) }]);
    } else if (field.widget === 'duration') {
      durations.push([field.key, durationMs(value as string)]);
    }
  }
  const data = n.nodeType.compile?.(n.config);
  return {
    id: n.node.id,
    type: n.nodeType.type,
    version: n.nodeType.version,
    kind: n.nodeType.kind,
    config: n.config,
    next,
    rules: Object.fromEntries(rules),
    templates: Object.fromEntries(templates),
    durations: Object.fromEntries(durations),
    ...(data !== undefined ? { data } : {}),
  };
}
