// docs/extending.md's worked example, kept runnable: action.slack is a real built-in made of one
// definition (action-slack.ts) and one executor (apps/engine/src/actions/action-slack.executor.ts).
// If this file changes, update the doc.
import { describe, expect, it } from 'vitest';
import { builtinRegistry, compileWorkflow, simulateWorkflow, validateWorkflow } from '../index.ts';
import { actionSlack } from './action-slack.ts';

const workflow = {
  name: 'Slack on big orders',
  nodes: [
    { id: 't', type: 'trigger.event', config: { event: 'order_completed' } },
    {
      id: 's',
      type: 'action.slack',
      config: {
        webhookUrl: 'https://hooks.slack.com/services/T000/B000/XXXX',
        text: 'Order of {{ event.properties.total }} by {{ user.email }}',
        onlyIf: { '>': [{ var: 'event.properties.total' }, 1000] },
      },
    },
  ],
  edges: [{ source: 't', target: 's' }],
};

describe('docs/extending.md worked example (action.slack)', () => {
  it('is in the registry, and its editor form comes from the definition', () => {
    expect(builtinRegistry.latest('action.slack')).toBe(actionSlack);
    expect(actionSlack.fields.map((fld) => [fld.key, fld.widget, fld.required])).toEqual([
      ['webhookUrl', 'url', true],
      ['text', 'template', true],
      ['onlyIf', 'json-logic', false],
      // Every action's platform settings, added by defineNodeType.
      ['consent', 'text', false],
      ['priority', 'select', false],
    ]);
    expect(actionSlack.secrets).toEqual(['webhookUrl']);
    expect(actionSlack.summary({ text: 'Big order' })).toBe('post “Big order”');
  });

  it('validates with the field helpers', () => {
    expect(validateWorkflow(workflow)).toEqual([]);
    const withConfig = (config: object) => {
      const copy = structuredClone(workflow);
      Object.assign(copy.nodes[1]?.config ?? {}, config);
      return validateWorkflow(copy).map((e) => [e.nodeId, e.path.join('.'), e.code]);
    };
    expect(withConfig({ webhookUrl: 'javascript:alert(1)' })).toEqual([
      ['s', 'nodes.1.config.webhookUrl', 'url.unsafe_scheme'],
    ]);
    expect(withConfig({ text: '{{ secrets.token }}' })).toEqual([
      ['s', 'nodes.1.config.text', 'template.unknown_root'],
    ]);
  });

  it('compiles its rule and template generically', () => {
    const plan = compileWorkflow(workflow);
    expect(plan.nodes.s?.rules.onlyIf?.paths).toEqual(['event.properties.total']);
    expect(plan.nodes.s?.templates.text?.userFields).toEqual(['email']);
  });

  it('test-runs: sends only when onlyIf holds, and never shows the webhook URL', async () => {
    const run = (total: number) =>
      simulateWorkflow(workflow, {
        event: { name: 'order_completed', userId: 'u1', properties: { total } },
        user: { email: 'ada@example.com' },
      });
    const small = await run(10);
    expect('actions' in small && small.actions).toEqual([]);
    const big = await run(5000);
    expect('actions' in big && big.actions[0]?.payload).toEqual({
      webhookUrl: '[redacted]',
      text: 'Order of 5000 by ada@example.com',
    });
  });
});
