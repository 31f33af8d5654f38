import { type ExecutionPlan, type LoadedPlan, loadPlan, type Registry } from '@tripwire/rules';

/** A published version, loaded against this release's node definitions (by type@version). */
export interface WorkflowPlan extends LoadedPlan {
  tenantId: string;
  workflowId: string;
  version: number;
}

/** Throws PlanLoadError when a node's type, version or settings are unknown to this release. */
export function loadWorkflowPlan(
  registry: Registry,
  tenantId: string,
  workflowId: string,
  version: number,
  plan: ExecutionPlan,
): WorkflowPlan {
  return { ...loadPlan(plan, registry), tenantId, workflowId, version };
}
