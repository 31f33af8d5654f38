// Node types that exist only in tests: one type in two versions that behave differently, to show
// that a stored node keeps running the version it was saved with.
import { builtinNodeTypes, createRegistry, defineNodeType, f } from '@tripwire/rules';
import { defineExecutor } from '../src/actions/executors.ts';

/** v1 takes `a`, v2 takes `b`: the webhook behind each output tells which version ran. */
export const pickV1 = defineNodeType({
  type: 'test.pick',
  version: 1,
  kind: 'control',
  label: 'Pick',
  description: 'Version 1 always takes a.',
  icon: 'split',
  outputs: ['a', 'b'],
  config: {},
  step: () => ({ output: 'a', detail: { picked: 'a' } }),
});

export const pickV2 = defineNodeType({
  ...pickV1,
  version: 2,
  description: 'Version 2 always takes b.',
  config: {},
  step: () => ({ output: 'b', detail: { picked: 'b' } }),
  migrate: { from: 1, config: () => ({}) },
});

/** An action in two versions whose executors answer differently (by the queue they run on). */
export const noteV1 = defineNodeType({
  type: 'test.note',
  version: 1,
  kind: 'action',
  label: 'Note',
  description: 'Records a note (version 1).',
  icon: 'pen',
  outputs: ['next'],
  config: { text: f.template({ label: 'Text' }) },
});

export const noteV2 = defineNodeType({
  ...noteV1,
  version: 2,
  description: 'Records a note (version 2).',
  config: noteV1.config,
});

/** Notes each executor version wrote, in order. */
export const notes: { version: number; text: unknown; actionId: string }[] = [];

export const noteExecutors = [
  defineExecutor(noteV1, () => async (job) => {
    notes.push({ version: 1, text: job.config.text, actionId: job.actionId });
    return {};
  }),
  defineExecutor(noteV2, () => async (job) => {
    notes.push({ version: 2, text: job.config.text, actionId: job.actionId });
    return {};
  }),
];

export const registryWithV1 = createRegistry([...builtinNodeTypes, pickV1, noteV1]);
export const registryWithBoth = createRegistry([...builtinNodeTypes, pickV1, pickV2, noteV1, noteV2]);
