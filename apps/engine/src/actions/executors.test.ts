import { builtinNodeTypes, builtinRegistry, createRegistry, defineNodeType, f } from '@tripwire/rules';
import { describe, expect, it } from 'vitest';
import type { MessageProducer } from '../kafka/kafka-client.ts';
import { createLogger } from '../logger.ts';
import type { WebhookExecutor } from './action-webhook.ts';
import { type ExecutorDeps, loadExecutors } from './executors.ts';

const deps: ExecutorDeps = {
  webhook: {} as WebhookExecutor,
  producer: {} as MessageProducer,
  logger: createLogger('silent'),
  ownTopics: [],
  signingSecrets: async () => [],
};

describe('loadExecutors', () => {
  it('finds an executor file for every built-in action type@version', async () => {
    const actions = builtinRegistry.list().filter((t) => t.kind === 'action');
    const executors = await loadExecutors(builtinRegistry, deps);
    expect([...executors.keys()].sort()).toEqual(actions.map((t) => t.key).sort());
  });

  it('refuses to start without an executor for an action, naming it and where it goes', async () => {
    const orphan = defineNodeType({
      type: 'action.orphan',
      version: 1,
      kind: 'action',
      label: 'Orphan',
      description: 'An action nobody wrote an executor for.',
      icon: 'x',
      outputs: ['next'],
      config: { text: f.string({ label: 'Text' }) },
    });
    await expect(loadExecutors(createRegistry([...builtinNodeTypes, orphan]), deps)).rejects.toThrow(
      'No executor for action.orphan@1: add apps/engine/src/actions/<type>.executor.ts',
    );
  });
});
