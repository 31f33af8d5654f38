// The worked example of docs/extending.md, kept runnable: if this file changes, update the doc.
import { describe, expect, it } from 'vitest';
import { builtinNodeTypes, compileWorkflow, createRegistry, defineNodeType, f, validateWorkflow } from '../index.ts';

// 1. One definition in packages/rules/src/nodes/action-slack.ts:
const actionSlack = defineNodeType({
  type: 'action.slack',
  version: 1,
  kind: 'action',
  label: 'Post to Slack',
  description: 'Posts a message to a Slack channel.',
  icon: 'message-square',
  outputs: ['next'],
  config: {
    channel: f.string({ label: 'Channel', placeholder: '#alerts', maxLength: 80 }),
    text: f.template({ label: 'Message', placeholder: '{{ user.email }} failed to pay' }),
    onlyIf: f.jsonLogic({ label: 'Only if', optional: true }),
  },
  validate: (config) =>
    config.channel.startsWith('#')
      ? []
      : [{ path: ['channel'], code: 'slack.channel', message: 'Channels start with #' }],
});

// 2. Listed in builtinNodeTypes (src/nodes/builtin.ts); here a registry built the same way.
const registry = createRegistry([...builtinNodeTypes, actionSlack]);

const workflow = {
  name: 'Slack on big orders',
  nodes: [
    { id: 't', type: 'trigger.event', config: { event: 'order_completed' } },
    {
      id: 's',
      type: 'action.slack',
      config: {
        channel: '#sales',
        text: 'Order of {{ event.properties.total }} by {{ user.email }}',
        onlyIf: { '>': [{ var: 'event.properties.total' }, 1000] },
      },
    },
  ],
  edges: [{ source: 't', target: 's' }],
};

describe('docs/extending.md worked example', () => {
  it('derives the editor form from the definition', () => {
    expect(actionSlack.key).toBe('action.slack@1');
    expect(actionSlack.fields.map((fld) => [fld.key, fld.widget, fld.required])).toEqual([
      ['channel', 'text', true],
      ['text', 'template', true],
      ['onlyIf', 'json-logic', false],
    ]);
  });

  it("validates with the field helpers and the node's own check", () => {
    expect(validateWorkflow(workflow, { registry })).toEqual([]);
    const withConfig = (config: object) => {
      const copy = structuredClone(workflow);
      Object.assign(copy.nodes[1]?.config ?? {}, config);
      return validateWorkflow(copy, { registry }).map((e) => [e.nodeId, e.path.join('.'), e.code]);
    };
    expect(withConfig({ channel: 'sales' })).toEqual([['s', 'nodes.1.config.channel', 'slack.channel']]);
    expect(withConfig({ text: '{{ secrets.token }}' })).toEqual([
      ['s', 'nodes.1.config.text', 'template.unknown_root'],
    ]);
    expect(validateWorkflow(workflow).map((e) => e.code)).toEqual(['node.unknown_type']);
  });

  it('compiles rules and templates generically', () => {
    const plan = compileWorkflow(workflow, { registry });
    expect(plan.nodes.s?.rules.onlyIf?.paths).toEqual(['event.properties.total']);
    expect(plan.nodes.s?.templates.text?.userFields).toEqual(['email']);
    expect(plan.userFields).toEqual(['email']);
  });
});
