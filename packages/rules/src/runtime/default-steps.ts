import type { FieldMeta } from '../fields.ts';
import { evaluateRule } from './rule-values.ts';
import type { StepFn } from './types.ts';

// The steps a node type gets without writing one, by kind. Anything else a node decides goes in
// its definition's `step`; nothing outside packages/rules decides for a node.

/** Triggers: the filter was decided when the event was routed; the run starts on `next`. */
export const passOn: StepFn = () => ({ output: 'next', detail: {} });

/** A condition over one JSON Logic field: `true` or `false`, with the values it read. */
export function ruleCondition(field: string): StepFn<Record<string, unknown>, 'true' | 'false'> {
  return (node, { data }) => {
    const rule = node.rules[field];
    if (!rule) return { output: 'false', detail: { result: false } };
    const { result, read } = evaluateRule(rule, data);
    return { output: result ? 'true' : 'false', detail: { result, read } };
  };
}

/**
 * Actions: the config with its templates rendered against the run's data is what gets sent. An
 * `onlyIf` rule that is false skips the action and the run goes on, as if it had been sent.
 */
export const sendAction: StepFn = (node, { data }) => {
  const onlyIf = node.rules.onlyIf;
  if (onlyIf) {
    const { result, read } = evaluateRule(onlyIf, data);
    if (!result) return { output: 'next', detail: { skipped: 'onlyIf', onlyIf: false, read } };
  }
  // consent and priority are the platform's (the walk and the job layer), not the receiver's.
  const { onlyIf: _rule, consent: _consent, priority: _priority, ...payload } = node.config;
  const rendered: Record<string, unknown> = {};
  for (const [field, render] of Object.entries(node.templates)) {
    payload[field] = render(data);
    rendered[field] = payload[field];
  }
  return { output: 'next', action: { payload }, detail: { rendered } };
};

export function defaultStep(kind: string, fields: (FieldMeta & { key: string })[]): StepFn | undefined {
  if (kind === 'trigger') return passOn;
  if (kind === 'action') return sendAction;
  const rules = fields.filter((f) => f.widget === 'json-logic');
  if (kind === 'condition' && rules.length === 1) return ruleCondition((rules[0] as { key: string }).key);
  return undefined;
}
