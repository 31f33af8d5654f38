import type { ExecutionPlan, PlanNode } from '../compiler/plan.ts';
import type { ListenRole } from '../define-node-type.ts';
import { compileLogic } from '../logic/compile.ts';
import { builtinRegistry } from '../nodes/builtin.ts';
import type { AnyNodeType, Registry } from '../registry.ts';
import { type CompiledTemplate, compileTemplate } from '../template/template.ts';
import type { RuntimeRule, StepNode } from './types.ts';

export interface LoadedRule extends RuntimeRule {
  /** It reads `user.*`, so the profile must be loaded to run it. */
  readsUser: boolean;
}

/** A plan node ready to run: its definition (by type@version), compiled rules and templates. */
export interface LoadedNode {
  id: string;
  plan: PlanNode;
  def: AnyNodeType;
  step: StepNode;
  /** The roles it listens to events in, each with the rule that decides (null: every event of the name). */
  listens: Partial<Record<ListenRole, LoadedRule | null>>;
}

/** A compiled plan checked against today's node definitions, with everything compiled once. */
export interface LoadedPlan {
  plan: ExecutionPlan;
  nodes: Map<string, LoadedNode>;
  trigger: LoadedNode;
  /** Some rule or template reads `user.*`: profiles are loaded only for such plans. */
  readsUser: boolean;
  /** Some node parks runs on a waiter row that references the run: runs start with their row. */
  registersWaiters: boolean;
  /** No node reads or writes per-user state or registers a waiter: a run can be walked first. */
  walksWithoutState: boolean;
}

export interface PlanProblem {
  nodeId?: string;
  code: string;
  message: string;
}

/** A stored plan that today's definitions cannot run; it must not run, and says why. */
export class PlanLoadError extends Error {
  readonly problems: PlanProblem[];
  constructor(problems: PlanProblem[]) {
    super(problems.map((p) => (p.nodeId ? `${p.nodeId}: ${p.message}` : p.message)).join('; '));
    this.name = 'PlanLoadError';
    this.problems = problems;
  }
}

const own = <T>(record: Record<string, T>, key: string) => (Object.hasOwn(record, key) ? record[key] : undefined);

function loadNode(node: PlanNode, def: AnyNodeType, problems: PlanProblem[]): LoadedNode | undefined {
  const parsed = def.configSchema.safeParse(node.config);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((i) => i.path[0]).filter((k) => k !== undefined))];
    problems.push({
      nodeId: node.id,
      code: 'node.config_invalid',
      message: `${def.label} (${def.key}): its settings no longer validate${fields.length ? ` (${fields.join(', ')})` : ''}`,
    });
    return undefined;
  }
  const config = parsed.data as Record<string, unknown>;
  try {
    const rules: Record<string, LoadedRule> = {};
    for (const [field, rule] of Object.entries(node.rules)) {
      rules[field] = { run: compileLogic(rule.logic), paths: rule.paths, readsUser: rule.userFields.length > 0 };
    }
    const templates: Record<string, CompiledTemplate> = {};
    for (const [field, t] of Object.entries(node.templates)) templates[field] = compileTemplate(t.template);
    const listens: LoadedNode['listens'] = {};
    for (const interest of def.events?.(config) ?? []) {
      listens[interest.as] = interest.rule === undefined ? null : (own(rules, interest.rule) ?? null);
    }
    const step: StepNode = { id: node.id, config, rules, templates, durations: node.durations };
    return { id: node.id, plan: node, def, step, listens };
  } catch (error) {
    problems.push({
      nodeId: node.id,
      code: 'node.uncompilable',
      message: `${def.label}: ${error instanceof Error ? error.message : String(error)}`,
    });
    return undefined;
  }
}

/**
 * Finds every node's definition by `type@version` and checks its config against it, so a plan
 * whose node type, version or settings today's code does not know never runs. Throws
 * PlanLoadError listing every problem.
 */
export function loadPlan(plan: ExecutionPlan, registry: Registry = builtinRegistry): LoadedPlan {
  const problems: PlanProblem[] = [];
  const nodes = new Map<string, LoadedNode>();
  for (const node of Object.values(plan.nodes)) {
    const def = registry.get(node.type, node.version);
    if (!def) {
      const known = registry.hasType(node.type);
      problems.push({
        nodeId: node.id,
        code: known ? 'node.unknown_version' : 'node.unknown_type',
        message: known
          ? `${node.type} has no version ${node.version} in this release (known: ${registry.versions(node.type).join(', ')})`
          : `${node.type} is not a node type this release knows`,
      });
      continue;
    }
    const loaded = loadNode(node, def, problems);
    if (loaded) nodes.set(node.id, loaded);
  }
  const trigger = nodes.get(plan.trigger);
  if (!trigger && problems.length === 0) problems.push({ code: 'plan.no_trigger', message: 'The plan has no trigger' });
  if (problems.length > 0 || !trigger) throw new PlanLoadError(problems);
  const defs = [...nodes.values()].map((n) => n.def);
  return {
    plan,
    nodes,
    trigger,
    readsUser: plan.userFields.length > 0,
    registersWaiters: defs.some((d) => d.runtime.registersWaiter),
    walksWithoutState: !defs.some((d) => d.runtime.readsState || d.runtime.writesState || d.runtime.registersWaiter),
  };
}
