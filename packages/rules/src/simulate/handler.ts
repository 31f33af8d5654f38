import type { LoadedNode } from './loaded-node.ts';
import type { SimRuleData, SimRun } from './types.ts';

export interface SimContext {
  run: SimRun;
  data: SimRuleData;
  /** Simulated time of the current walk, in ms. */
  now: number;
}

export interface SimOutcome {
  /** The output handle to follow; none ends the branch. */
  output?: string;
  detail: Record<string, unknown>;
  /** Waits: the output's targets run in a later walk, at `at`, with this rule data. */
  resume?: { at: number; data: SimRuleData };
}

/** The simulator's counterpart of the engine's NodeHandler: same decisions, no state written. */
export type SimHandler = (node: LoadedNode, ctx: SimContext) => SimOutcome;
