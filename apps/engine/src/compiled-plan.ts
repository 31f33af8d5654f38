import {
  type CompiledLogic,
  type CompiledTemplate,
  compileLogic,
  compileTemplate,
  type ExecutionPlan,
  type PlanNode,
  routeEvent,
} from '@tripwire/rules';

export interface LoadedNode {
  node: PlanNode;
  rules: Record<string, CompiledLogic>;
  templates: Record<string, CompiledTemplate>;
}

/** A published version, ready to run: rules and templates compiled once at load. */
export interface LoadedPlan {
  tenantId: string;
  workflowId: string;
  version: number;
  plan: ExecutionPlan;
  nodes: Map<string, LoadedNode>;
  /** True when any rule or template reads `user.*`, so profiles are loaded only when needed. */
  readsUser: boolean;
}

export function loadPlan(tenantId: string, workflowId: string, version: number, plan: ExecutionPlan): LoadedPlan {
  const nodes = new Map<string, LoadedNode>();
  for (const [id, node] of Object.entries(plan.nodes)) {
    nodes.set(id, {
      node,
      rules: Object.fromEntries(Object.entries(node.rules).map(([k, r]) => [k, compileLogic(r.logic)])),
      templates: Object.fromEntries(Object.entries(node.templates).map(([k, t]) => [k, compileTemplate(t.template)])),
    });
  }
  return { tenantId, workflowId, version, plan, nodes, readsUser: plan.userFields.length > 0 };
}

export { routeEvent };
