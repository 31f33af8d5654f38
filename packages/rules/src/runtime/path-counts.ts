import type { PathEntry } from './walk.ts';

/** The output a count of runs *entering* a node is kept under (the others are the node's outputs). */
export const ENTERED = '';

export interface PathCount {
  nodeId: string;
  /** ENTERED, or the output the runs left by (each edge from that output was taken as often). */
  output: string;
  count: number;
}

/**
 * Each (node, output) one walk adds a run to, in path order: each entry with an output is a run
 * leaving that node by it; each entry is a run entering its node, except the entry a resumed walk
 * starts with (the wait it leaves was entered when the run parked there).
 */
export function eachPathCount(
  path: readonly PathEntry[],
  startsWithResume: boolean,
  add: (nodeId: string, output: string) => void,
): void {
  for (let i = 0; i < path.length; i++) {
    const entry = path[i] as PathEntry;
    if (!(i === 0 && startsWithResume)) add(entry.nodeId, ENTERED);
    if (entry.output) add(entry.nodeId, entry.output);
  }
}

/**
 * What one walk adds to the counts on the canvas (eachPathCount, summed per node and output). The
 * engine adds these to its counters as it records runs; replays (backtests) count the same way.
 */
export function countPath(path: readonly PathEntry[], startsWithResume: boolean): PathCount[] {
  const counts = new Map<string, PathCount>();
  eachPathCount(path, startsWithResume, (nodeId, output) => {
    const key = `${nodeId}\u0000${output}`;
    const hit = counts.get(key);
    if (hit) hit.count++;
    else counts.set(key, { nodeId, output, count: 1 });
  });
  return [...counts.values()];
}
