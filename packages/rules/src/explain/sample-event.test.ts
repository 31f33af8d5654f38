import { describe, expect, it } from 'vitest';
import { simulateWorkflow } from '../simulate/simulate-workflow.ts';
import { starterTemplates } from '../starters/starter-templates.ts';
import { sampleEventFor } from './sample-event.ts';

describe('sampleEventFor', () => {
  it.each(starterTemplates.map((t) => [t.name, t] as const))('starts a run of the “%s” template', async (_name, t) => {
    const event = sampleEventFor(t.document);
    const result = await simulateWorkflow(t.document, { event });
    expect('steps' in result && result.started).toBe(true);
  });

  it('takes the values its rules compare with', () => {
    const event = sampleEventFor({
      nodes: [
        {
          id: 't',
          type: 'trigger.event',
          config: { event: 'order_completed', filter: { '>=': [{ var: 'event.properties.total' }, 500] } },
        },
        { id: 'c', type: 'condition.if', config: { logic: { '==': [{ var: 'event.properties.cart.id' }, 'c1'] } } },
      ],
    });
    expect(event).toEqual({
      name: 'order_completed',
      userId: 'test-user-1',
      properties: { total: 500, cart: { id: 'c1' } },
    });
  });
});
