import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { validateWorkflow } from '../workflow/validate.ts';
import { DURATION_RANGE_MESSAGE, durationInputProblem, jsonProblem, plainErrorMap } from './plain-messages.ts';

const flow = (nodes: object[]) => ({ name: 'Flow', nodes, edges: [] });

describe('plain messages', () => {
  it('a new trigger or webhook asks for what is missing, in the field’s own words', () => {
    const messages = validateWorkflow(
      flow([
        { id: 't', type: 'trigger.event', config: {} },
        { id: 'h', type: 'action.webhook', config: {} },
      ]),
    ).map((e) => e.message);
    expect(messages).toContain('Enter an event');
    expect(messages).toContain('Enter a URL');
    expect(messages.join(' ')).not.toMatch(/Invalid input|expected|received/);
  });

  it('waits out of range say the range', () => {
    const errors = validateWorkflow(
      flow([
        { id: 't', type: 'trigger.event', config: { event: 'x' } },
        { id: 'w', type: 'wait.delay', config: { duration: 'PT0S' } },
      ]),
    );
    expect(errors.find((e) => e.nodeId === 'w')?.message).toBe(DURATION_RANGE_MESSAGE);
  });

  it.each([
    [0, 'hours', DURATION_RANGE_MESSAGE],
    [-5, 'hours', DURATION_RANGE_MESSAGE],
    [1.5, 'hours', 'Enter a whole number of hours, or switch to a smaller unit'],
    [99999999999, 'hours', DURATION_RANGE_MESSAGE],
    [0.2, 'seconds', DURATION_RANGE_MESSAGE],
    [2, 'hours', null],
  ] as const)('a wait of %s %s: %s', (value, unit, message) => {
    expect(durationInputProblem(value, unit)).toBe(message);
  });

  it('invalid JSON says where and what to look for', () => {
    expect(jsonProblem('{ "a": 1 }')).toBeNull();
    expect(jsonProblem('{\n "a": 1,\n "b" 2 }')).toBe(
      'This is not valid JSON on line 3: check the quotes, commas and brackets',
    );
    expect(jsonProblem('{ "a": ')).toBe('This JSON stops too early: check for a missing } or ]');
  });

  it('replaces library texts for any schema', () => {
    const r = z.object({ workspaceName: z.string().min(1) }).safeParse({}, { error: plainErrorMap });
    expect(r.error?.issues[0]?.message).toBe('Enter a workspace name');
  });
});
