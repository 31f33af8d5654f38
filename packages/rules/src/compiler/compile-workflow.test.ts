import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WorkflowValidationError } from '../errors.ts';
import { compileWorkflow } from './compile-workflow.ts';
import { routeEvent } from './plan.ts';

// Golden files: fixtures/<case>.workflow.json -> <case>.expected.json.
// Regenerate after an intended change with UPDATE_GOLDEN=1 and review the diff.
const dir = new URL('../../fixtures/', import.meta.url);
const cases = readdirSync(dir)
  .filter((f) => f.endsWith('.workflow.json'))
  .map((f) => f.replace('.workflow.json', ''));

describe('compileWorkflow golden files', () => {
  it('has fixtures', () => {
    expect(cases.length).toBeGreaterThanOrEqual(4);
  });

  it.each(cases)('%s', (name) => {
    const doc = JSON.parse(readFileSync(new URL(`${name}.workflow.json`, dir), 'utf8'));
    const plan = compileWorkflow(doc);
    // The plan is stored and shipped as JSON: it must survive the round trip unchanged.
    const json = `${JSON.stringify(plan, null, 2)}\n`;
    expect(JSON.parse(json)).toEqual(plan);
    const expectedUrl = new URL(`${name}.expected.json`, dir);
    if (process.env.UPDATE_GOLDEN) writeFileSync(expectedUrl, json);
    expect(json).toBe(readFileSync(expectedUrl, 'utf8'));
  });
});

describe('compileWorkflow', () => {
  it('throws every validation error at once', () => {
    try {
      compileWorkflow({
        name: 'x',
        nodes: [{ id: 'a', type: 'action.log', config: { message: '{{ nope }}' } }],
        edges: [],
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(WorkflowValidationError);
      expect((error as WorkflowValidationError).errors.map((e) => e.code)).toEqual([
        'template.unknown_root',
        'workflow.trigger_count',
      ]);
    }
  });

  it('routes events by own keys only', () => {
    const plan = compileWorkflow({
      name: 'x',
      nodes: [
        { id: 't', type: 'trigger.event', config: { event: 'constructor' } },
        { id: 'w', type: 'wait.event', config: { event: '__proto__', timeout: 'PT1M' } },
      ],
      edges: [{ source: 't', target: 'w' }],
    });
    expect(routeEvent(plan, 'constructor')).toEqual({ triggers: ['t'], waits: [], counts: [] });
    expect(routeEvent(JSON.parse(JSON.stringify(plan)), '__proto__')).toEqual({
      triggers: [],
      waits: ['w'],
      counts: [],
    });
    expect(routeEvent(plan, 'toString')).toBeUndefined();
  });
});
