import type { NodeKind } from '../define-node-type.ts';

// The execution plan: everything the engine needs to run a workflow, precomputed and plain JSON
// (it is stored next to the published version and cached per tenant). Rules stay JSON Logic;
// the engine calls compileLogic once at load, which caches by rule text.

/** Bumped whenever the plan's shape or meaning changes; the engine recompiles older plans. */
export const COMPILER_VERSION = 1;

export interface PlanRule {
  logic: unknown;
  /** Context paths the rule reads ("event.properties.total"). */
  paths: string[];
  /** `user.*` traits the rule reads; ["*"] when it may read any. */
  userFields: string[];
}

export interface PlanTemplate {
  template: unknown;
  userFields: string[];
}

export interface PlanNode {
  id: string;
  type: string;
  version: number;
  kind: NodeKind;
  /** Validated config with defaults applied. */
  config: Record<string, unknown>;
  /** Output handle -> target node ids; every declared output is present, possibly empty. */
  next: Record<string, string[]>;
  /** Config fields holding JSON Logic. */
  rules: Record<string, PlanRule>;
  /** Config fields holding templates. */
  templates: Record<string, PlanTemplate>;
  /** Config fields holding ISO durations, in milliseconds. */
  durations: Record<string, number>;
  /** Whatever the node type's own `compile` precomputed. */
  data?: Record<string, unknown>;
}

export interface EventRoute {
  triggers: string[];
  waits: string[];
  counts: string[];
}

export interface ExecutionPlan {
  compilerVersion: number;
  name: string;
  trigger: string;
  nodes: Record<string, PlanNode>;
  /** Event name -> nodes interested in it; look up with `routeEvent`. */
  events: Record<string, EventRoute>;
  /** Union of the `user.*` traits read anywhere in the workflow. */
  userFields: string[];
}

/** O(1) routing. Own properties only: an event named "constructor" must not find Object's. */
export function routeEvent(plan: ExecutionPlan, eventName: string): EventRoute | undefined {
  return Object.hasOwn(plan.events, eventName) ? plan.events[eventName] : undefined;
}
