import { handlerFor } from './nodes/index.ts';
import type { StepContext } from './nodes/node-handler.ts';
import type { PathEntry } from './state/runs.ts';

export interface WalkResult {
  path: PathEntry[];
  /** Waits registered on this walk. */
  waits: number;
  lastNode: string | null;
  /** Set when a node could not run: the run fails with this reason, other runs go on. */
  error?: string;
}

const MAX_STEPS = 1000;

/** The SQLSTATE of a Postgres error, also when drizzle wrapped it (DrizzleQueryError's cause). */
export function sqlState(error: unknown): string | undefined {
  const e = error as { code?: unknown; cause?: { code?: unknown } } | undefined;
  const code = e?.code ?? e?.cause?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** A failure of Postgres itself (SQLSTATE code), which must abort the batch, not just this run. */
export function isDatabaseError(error: unknown): boolean {
  return sqlState(error) !== undefined;
}

/**
 * Runs nodes breadth-first from `start` until every branch ended or parked at a wait. Plans are
 * acyclic (validated at publish), so this terminates; the step cap guards against a bad plan.
 */
export async function walk(ctx: StepContext, start: string[]): Promise<WalkResult> {
  const path: PathEntry[] = [];
  const queue = [...start];
  let waits = 0;
  let lastNode: string | null = null;
  for (let steps = 0; queue.length > 0; steps++) {
    const id = queue.shift() as string;
    const loaded = ctx.plan.nodes.get(id);
    if (!loaded || steps >= MAX_STEPS) return { path, waits, lastNode, error: `run stopped at unknown node ${id}` };
    const at = ctx.now.toISOString();
    try {
      const outcome = await handlerFor(loaded)(loaded, ctx);
      path.push({
        nodeId: id,
        type: loaded.node.type,
        at,
        ...(outcome.output ? { output: outcome.output } : {}),
        ...(outcome.detail ? { detail: outcome.detail } : {}),
      });
      lastNode = id;
      if (outcome.waiting) waits++;
      if (outcome.output) queue.push(...(loaded.node.next[outcome.output] ?? []));
    } catch (error) {
      if (isDatabaseError(error)) throw error;
      const message = error instanceof Error ? error.message : String(error);
      path.push({ nodeId: id, type: loaded.node.type, at, detail: { error: message } });
      return { path, waits, lastNode: id, error: message };
    }
  }
  return { path, waits, lastNode };
}
