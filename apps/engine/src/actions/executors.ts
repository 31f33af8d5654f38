import type { ActionJob, AnyNodeType, Registry } from '@tripwire/rules';
import type { MessageProducer } from '../kafka/kafka-client.ts';
import type { Logger } from '../logger.ts';
import type { WebhookExecutor } from './action-webhook.ts';

/** What executors may use; built once by the engine. */
export interface ExecutorDeps {
  /** HTTP(S) with the address guard, timeouts and Standard Webhooks signatures. */
  webhook: WebhookExecutor;
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

/** An action type's side effect, for one `type@version` of its definition. */
export interface ExecutorDefinition {
  key: string;
  create(deps: ExecutorDeps): Executor;
}

/**
 * Declares the executor of a definition (`<type>.executor.ts`, default export). The job's config is
 * the node's config with its templates rendered. Throw RetriableError to retry with backoff,
 * PermanentError to dead-letter at once.
 */
export function defineExecutor<D extends AnyNodeType>(
  def: D,
  create: (
    deps: ExecutorDeps,
  ) => (job: ActionJob & { config: Record<string, unknown> }, signal: AbortSignal) => Promise<ExecutionResult>,
): ExecutorDefinition {
  return { key: def.key, create };
}

/** A type "category.name" is executed by the module `./category-name.executor.ts`. */
const moduleName = (type: string) => type.replaceAll('.', '-');

/**
 * Finds the executor of every action `type@version` in the registry by its file name, so adding an
 * action type needs its definition and one executor file, and no list to edit here. A definition
 * without an executor stops the engine at start with its name (and fails the executors test).
 * `extra` adds executors that are not files here (tests' own node types).
 */
export async function loadExecutors(
  registry: Registry,
  deps: ExecutorDeps,
  extra: readonly ExecutorDefinition[] = [],
): Promise<Map<string, Executor>> {
  const found = new Map<string, ExecutorDefinition>(extra.map((e) => [e.key, e]));
  const missing: string[] = [];
  for (const def of registry.list().filter((d) => d.kind === 'action')) {
    if (found.has(def.key)) continue;
    let exported: ExecutorDefinition | ExecutorDefinition[] | undefined;
    try {
      // A template import esbuild bundles as "every ./*.executor.ts" (see build.ts).
      exported = (await import(`./${moduleName(def.type)}.executor.ts`)).default;
    } catch {
      exported = undefined;
    }
    const entry = [exported ?? []].flat().find((e) => e.key === def.key);
    if (entry) found.set(def.key, entry);
    else missing.push(def.key);
  }
  if (missing.length > 0)
    throw new Error(`No executor for ${missing.join(', ')}: add apps/engine/src/actions/<type>.executor.ts`);
  return new Map([...found].map(([key, e]) => [key, e.create(deps)]));
}
