import type { ActionType } from '@tripwire/rules';
import { PermanentError, RetriableError } from '../errors.ts';
import type { MessageProducer } from '../kafka/kafka-client.ts';
import type { Logger } from '../logger.ts';
import type { ActionJob } from '../nodes/actions.ts';
import type { createWebhookExecutor } from './action-webhook.ts';

export interface ExecutorDeps {
  webhook: ReturnType<typeof createWebhookExecutor>;
  producer: MessageProducer;
  logger: Logger;
  /** Active Standard Webhooks secrets of a tenant (two during a rotation). */
  signingSecrets(tenantId: string): Promise<string[]>;
}

export interface ExecutionResult {
  [key: string]: unknown;
}

export type Executor = (job: ActionJob, signal: AbortSignal) => Promise<ExecutionResult>;

const text = (value: unknown) =>
  value === undefined || value === null ? null : typeof value === 'string' ? value : JSON.stringify(value);

/**
 * One executor per action type. `satisfies Record<ActionType, Executor>` makes a node type added to
 * packages/rules without its executor here a compile error rather than a runtime surprise.
 */
export function createExecutors({ webhook, producer, logger, signingSecrets }: ExecutorDeps) {
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
    'action.kafka': async (job) => {
      const c = job.config;
      try {
        await producer.send(c.topic as string, [
          { key: text(c.key), value: text(c.value) ?? '', headers: { 'tripwire-action-id': job.actionId } },
        ]);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (/invalid topic|not authorized/i.test(message)) throw new PermanentError('kafka.rejected', message);
        throw new RetriableError('kafka.unavailable', message);
      }
      return { topic: c.topic };
    },
    'action.log': async (job) => {
      logger.info(
        {
          tenantId: job.tenantId,
          workflowId: job.workflowId,
          runId: job.runId,
          nodeId: job.nodeId,
          message: job.config.message ?? null,
        },
        'action.log',
      );
      return {};
    },
  } satisfies Record<ActionType, Executor>;
}
export type Executors = ReturnType<typeof createExecutors>;
