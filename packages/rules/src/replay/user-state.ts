import type { TimeWindow } from '../runtime/types.ts';

/** A counted event or a frequency pass: when, and what made it (an event id or a run id). */
interface Mark {
  at: number;
  ref: string;
}

/** The first index whose mark is later than `t` (marks sorted by time). */
function after(marks: readonly Mark[], t: number): number {
  let lo = 0;
  let hi = marks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((marks[mid] as Mark).at <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Adds (at, ref) in time order unless it is there already; false when it was. */
function insert(marks: Mark[], at: number, ref: string): boolean {
  const i = after(marks, at);
  for (let j = i - 1; j >= 0 && (marks[j] as Mark).at === at; j--) if ((marks[j] as Mark).ref === ref) return false;
  if (i === marks.length) marks.push({ at, ref });
  else marks.splice(i, 0, { at, ref });
  return true;
}

/**
 * Per-user marks in memory, keyed like the engine's user_marks (workflow and node; the user is the
 * state's owner). Adding the same (time, ref) twice adds one mark, as the engine's key does. Each
 * list is kept in time order, so a window is two binary searches: "why not?" over one user's
 * 10,000 events and backtests over millions count without rescanning every mark.
 */
export function createMarks() {
  const byUser = new Map<string, Map<string, Map<string, Mark[]>>>();
  const find = (userId: string, workflowId: string, nodeId: string) => byUser.get(userId)?.get(workflowId)?.get(nodeId);
  function list(userId: string, workflowId: string, nodeId: string): Mark[] {
    let workflows = byUser.get(userId);
    if (!workflows) {
      workflows = new Map();
      byUser.set(userId, workflows);
    }
    let nodes = workflows.get(workflowId);
    if (!nodes) {
      nodes = new Map();
      workflows.set(workflowId, nodes);
    }
    let marks = nodes.get(nodeId);
    if (!marks) {
      marks = [];
      nodes.set(nodeId, marks);
    }
    return marks;
  }
  return {
    add(userId: string, workflowId: string, nodeId: string, at: number, ref: string) {
      insert(list(userId, workflowId, nodeId), at, ref);
    },
    count(userId: string, workflowId: string, nodeId: string, w: TimeWindow): number {
      const marks = find(userId, workflowId, nodeId);
      return marks ? Math.max(0, after(marks, w.to) - after(marks, w.from)) : 0;
    },
    /** Counts, and adds a mark at `w.to` when fewer than `max`: the engine's addMarkBelow. */
    reserve(userId: string, workflowId: string, nodeId: string, w: TimeWindow, max: number, ref: string) {
      const marks = list(userId, workflowId, nodeId);
      const lo = after(marks, w.from);
      const passes = Math.max(0, after(marks, w.to) - lo);
      const oldest = passes > 0 ? (marks[lo] as Mark).at : null;
      if (passes < max) insert(marks, w.to, ref);
      return { passes, oldest };
    },
    /** Drops marks at or before `before` (a long replay keeps memory bounded). */
    prune(before: number) {
      for (const [userId, workflows] of byUser) {
        for (const [workflowId, nodes] of workflows) {
          for (const [nodeId, marks] of nodes) {
            const cut = after(marks, before);
            if (cut === marks.length) nodes.delete(nodeId);
            else if (cut > 0) marks.splice(0, cut);
          }
          if (nodes.size === 0) workflows.delete(workflowId);
        }
        if (workflows.size === 0) byUser.delete(userId);
      }
    },
  };
}
export type Marks = ReturnType<typeof createMarks>;
