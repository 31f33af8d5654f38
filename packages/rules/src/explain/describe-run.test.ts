import { describe, expect, it } from 'vitest';
import { simulateWorkflow } from '../simulate/simulate-workflow.ts';
import type { WorkflowDocumentInput } from '../workflow/document.ts';
import { describeRun } from './describe-run.ts';

const flow: WorkflowDocumentInput = {
  name: 'Big orders',
  nodes: [
    { id: 't', type: 'trigger.event', config: { event: 'order_completed' } },
    { id: 'if-2', type: 'condition.if', config: { logic: { '>': [{ var: 'event.properties.total' }, 100] } } },
    { id: 'w', type: 'wait.delay', config: { duration: 'PT1H' } },
    {
      id: 'h',
      type: 'action.webhook',
      label: 'Tell sales',
      config: { url: 'https://example.com/hook', body: { total: '{{ event.properties.total }}' } },
    },
  ],
  edges: [
    { source: 't', target: 'if-2' },
    { source: 'if-2', sourceHandle: 'true', target: 'w' },
    { source: 'w', target: 'h' },
  ],
};

async function story(total: number) {
  const result = await simulateWorkflow(flow, {
    event: { name: 'order_completed', userId: 'u1', properties: { total } },
    now: new Date('2026-01-01T10:00:00Z'),
  });
  if (!('steps' in result)) throw new Error('did not run');
  return describeRun(result.steps, flow, { error: result.error });
}

describe('describeRun', () => {
  it('says what each step read and decided, and where the run ended', async () => {
    const { lines, ending } = await story(300);
    expect(lines.map((l) => `${l.node}: ${l.text}`)).toEqual([
      'When an event arrives: Started: “order_completed” arrived',
      'If: Checked total > 100 (total is 300) → yes',
      'Wait: Waits until 2026-01-01 11:00 UTC',
      'Wait: Wait over at 2026-01-01 11:00 UTC; goes on',
      'Tell sales: Sends POST https://example.com/hook with body {"total":300}',
    ]);
    expect(ending).toEqual(['Finished after Tell sales.']);
  });

  it('says when nothing is connected to the output taken', async () => {
    const { lines, ending } = await story(50);
    expect(lines[1]?.text).toBe('Checked total > 100 (total is 50) → no');
    expect(ending).toEqual(['Stopped at If: nothing is connected to “false”.']);
  });
});
