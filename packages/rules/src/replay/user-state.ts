import type { TimeWindow } from '../runtime/types.ts';

/** A counted event or a frequency pass: when, and what made it (an event id or a run id). */
interface Mark {
  at: number;
  ref: string;
}

/**
 * Per-user marks in memory, keyed like the engine's user_marks (workflow and node; the user is the
 * state's owner). Adding the same (time, ref) twice adds one mark, as the engine's key does.
 */
export function createMarks() {
  const byKey = new Map<string, Mark[]>();
  const key = (userId: string, workflowId: string, nodeId: string) => JSON.stringify([userId, workflowId, nodeId]);
  const list = (k: string) => {
    let marks = byKey.get(k);
    if (!marks) {
      marks = [];
      byKey.set(k, marks);
    }
    return marks;
  };
  const inWindow = (marks: Mark[], w: TimeWindow) => marks.filter((m) => m.at > w.from && m.at <= w.to);
  return {
    add(userId: string, workflowId: string, nodeId: string, at: number, ref: string) {
      const marks = list(key(userId, workflowId, nodeId));
      if (!marks.some((m) => m.at === at && m.ref === ref)) marks.push({ at, ref });
    },
    count(userId: string, workflowId: string, nodeId: string, w: TimeWindow): number {
      return inWindow(byKey.get(key(userId, workflowId, nodeId)) ?? [], w).length;
    },
    /** Counts, and adds a mark at `w.to` when fewer than `max`: the engine's addMarkBelow. */
    reserve(userId: string, workflowId: string, nodeId: string, w: TimeWindow, max: number, ref: string) {
      const marks = list(key(userId, workflowId, nodeId));
      const found = inWindow(marks, w);
      const oldest = found.length ? Math.min(...found.map((m) => m.at)) : null;
      if (found.length < max && !marks.some((m) => m.at === w.to && m.ref === ref)) marks.push({ at: w.to, ref });
      return { passes: found.length, oldest };
    },
    /** Drops marks older than `before` (a long replay keeps memory bounded). */
    prune(before: number) {
      for (const [k, marks] of byKey) {
        const kept = marks.filter((m) => m.at > before);
        if (kept.length === 0) byKey.delete(k);
        else byKey.set(k, kept);
      }
    },
  };
}
export type Marks = ReturnType<typeof createMarks>;
