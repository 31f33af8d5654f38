import {
  type CompiledLogic,
  type CompiledTemplate,
  compileLogic,
  compileTemplate,
  type ExecutionPlan,
  type PlanNode,
  routeEvent,
} from '@tripwire/rules';
import { touchesState } from './nodes/index.ts';

export interface LoadedNode {
  node: PlanNode;
  rules: Record<string, CompiledLogic>;
  templates: Record<string, CompiledTemplate>;
  /** Rule fields that read `user.*`: only these need the profile loaded. */
  userRules: ReadonlySet<string>;
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
  /** Some node registers a waiter (wait.event), a row that references the run: runs start with their row. */
  registersWaiters: boolean;
  /**
   * Walking it writes nothing to Postgres and reads at most the user's profile (no counters, no
   * waiters; see nodes/index.ts), so a run can be walked before its event is claimed.
   */
  walksWithoutState: boolean;
}

export function loadPlan(tenantId: string, workflowId: string, version: number, plan: ExecutionPlan): LoadedPlan {
  const nodes = new Map<string, LoadedNode>();
  for (const [id, node] of Object.entries(plan.nodes)) {
    nodes.set(id, {
      node,
      rules: Object.fromEntries(Object.entries(node.rules).map(([k, r]) => [k, compileLogic(r.logic)])),
      templates: Object.fromEntries(Object.entries(node.templates).map(([k, t]) => [k, compileTemplate(t.template)])),
      userRules: new Set(Object.keys(node.rules).filter((k) => (node.rules[k]?.userFields.length ?? 0) > 0)),
    });
  }
  const readsUser = plan.userFields.length > 0;
  const registersWaiters = Object.values(plan.nodes).some((n) => n.type === 'wait.event');
  const walksWithoutState = !Object.values(plan.nodes).some((n) => touchesState(n.type));
  return { tenantId, workflowId, version, plan, nodes, readsUser, registersWaiters, walksWithoutState };
}

export { routeEvent };
