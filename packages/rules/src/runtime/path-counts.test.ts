import { describe, expect, it } from 'vitest';
import { countPath, ENTERED } from './path-counts.ts';

const entry = (nodeId: string, output?: string) => ({ nodeId, type: 't', at: '', ...(output ? { output } : {}) });

describe('countPath', () => {
  it('counts each node entered and each output taken; a parked or failed node is entered only', () => {
    const counts = countPath(
      [entry('t', 'next'), entry('if', 'true'), entry('w'), entry('a', 'next'), entry('a', 'next')],
      false,
    );
    expect(counts).toEqual([
      { nodeId: 't', output: ENTERED, count: 1 },
      { nodeId: 't', output: 'next', count: 1 },
      { nodeId: 'if', output: ENTERED, count: 1 },
      { nodeId: 'if', output: 'true', count: 1 },
      { nodeId: 'w', output: ENTERED, count: 1 },
      { nodeId: 'a', output: ENTERED, count: 2 },
      { nodeId: 'a', output: 'next', count: 2 },
    ]);
  });

  it('does not count the wait a resumed walk leaves as entered again', () => {
    expect(countPath([entry('w', 'timeout'), entry('log', 'next')], true)).toEqual([
      { nodeId: 'w', output: 'timeout', count: 1 },
      { nodeId: 'log', output: ENTERED, count: 1 },
      { nodeId: 'log', output: 'next', count: 1 },
    ]);
  });
});
