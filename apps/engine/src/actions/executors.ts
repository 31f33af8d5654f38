import type { ActionType } from '@tripwire/rules';
import type { MessageProducer } from '../kafka/kafka-client.ts';
import type { Logger } from '../logger.ts';
import type { ActionJob } from '../nodes/actions.ts';
import { createKafkaExecutor } from './action-kafka.ts';
import { createLogExecutor } from './action-log.ts';
import type { createWebhookExecutor } from './action-webhook.ts';

export interface ExecutorDeps {
  webhook: ReturnType<typeof createWebhookExecutor>;
  producer: MessageProducer;
  logger: Logger;
  /** Topics the engine consumes or dead-letters to: never an action's destination. */
  ownTopics: readonly string[];
  /** Kafka topics an action.kafka may create per tenant. */
  kafkaTopicsPerTenant?: number;
  /** Active Standard Webhooks secrets of a tenant (two during a rotation). */
  signingSecrets(tenantId: string): Promise<string[]>;
}

export type ExecutionResult = Record<string, unknown>;
export type Executor = (job: ActionJob, signal: AbortSignal) => Promise<ExecutionResult>;

/**
 * One executor per action type, each in its own file. `satisfies Record<ActionType, Executor>`
 * makes an action type added to packages/rules without its executor here a compile error.
 */
export function createExecutors({
  webhook,
  producer,
  logger,
  ownTopics,
  kafkaTopicsPerTenant,
  signingSecrets,
}: ExecutorDeps) {
  return {
    'action.webhook': async (job, signal) => {
      const c = job.config;
      const result = await webhook.execute(
        {
          url: c.url as string,
          method: (c.method as 'POST' | 'PUT' | 'PATCH' | undefined) ?? 'POST',
          headers: (c.headers as Record<string, string> | undefined) ?? {},
          body: c.body ?? null,
        },
        { webhookId: job.actionId, secrets: await signingSecrets(job.tenantId), signal },
      );
      return { status: result.status, durationMs: result.durationMs };
    },
    'action.kafka': createKafkaExecutor(producer, ownTopics, kafkaTopicsPerTenant),
    'action.log': createLogExecutor(logger),
  } satisfies Record<ActionType, Executor>;
}
export type Executors = ReturnType<typeof createExecutors>;
