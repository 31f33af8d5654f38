import type { PlanNode } from '../compiler/plan.ts';
import { type CompiledLogic, compileLogic } from '../logic/compile.ts';
import { type CompiledTemplate, compileTemplate } from '../template/template.ts';

/** A plan node with its rules and templates compiled, as the engine's loadPlan prepares it. */
export interface LoadedNode {
  node: PlanNode;
  rules: Record<string, CompiledLogic>;
  templates: Record<string, CompiledTemplate>;
}

// The editor re-simulates on every keystroke of the test input while the plan stays the same
// object, so compiled nodes are kept per plan node (compileLogic also caches by rule text).
const loaded = new WeakMap<PlanNode, LoadedNode>();

/** Throws LogicError or a template error for a plan whose rules cannot run. */
export function loadNode(node: PlanNode): LoadedNode {
  let hit = loaded.get(node);
  if (hit === undefined) {
    hit = {
      node,
      rules: Object.fromEntries(Object.entries(node.rules).map(([k, r]) => [k, compileLogic(r.logic)])),
      templates: Object.fromEntries(Object.entries(node.templates).map(([k, t]) => [k, compileTemplate(t.template)])),
    };
    loaded.set(node, hit);
  }
  return hit;
}
