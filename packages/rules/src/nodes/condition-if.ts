import { describeLogic } from '../conditions/describe-logic.ts';
import { defineNodeType } from '../define-node-type.ts';
import { f } from '../fields.ts';
import { ruleCondition } from '../runtime/default-steps.ts';

export const conditionIf = defineNodeType({
  type: 'condition.if',
  version: 1,
  kind: 'condition',
  label: 'If',
  description: 'Continues on `true` or `false` depending on a rule.',
  icon: 'git-branch',
  outputs: ['true', 'false'],
  config: {
    logic: f.jsonLogic({ label: 'Condition' }),
  },
  step: ruleCondition('logic'),
  summary: (c) => (c.logic === undefined ? 'add a condition' : `if ${describeLogic(c.logic)}`),
});
