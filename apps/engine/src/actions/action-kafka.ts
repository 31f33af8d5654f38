import type { ActionJob } from '@tripwire/rules';
import { kafkaTopicProblem, TENANT_HEADER, tenantTopic, tenantTopicPrefix } from '@tripwire/rules';
import { PermanentError, RetriableError } from '../errors.ts';
import type { MessageProducer } from '../kafka/kafka-client.ts';

const text = (value: unknown) =>
  value === undefined || value === null ? null : typeof value === 'string' ? value : JSON.stringify(value);

/**
 * action.kafka: publishes the rendered key and value (acks=all) to the configured topic within the
 * tenant's namespace, `tenant.<tenantId>.<topic>` (decision 022), with the tenant in a header.
 * Versions published before namespaces wrote "orders" itself; they now write to their tenant's
 * "orders", which is the documented migration. The topic is created on purpose, up to
 * `topicsPerTenant` per tenant, never by the broker on a typo. The name is checked again here
 * (versions published before a check existed), and `ownTopics` (the topics this engine consumes
 * and dead-letters to) can never be the result.
 */
export function createKafkaExecutor(producer: MessageProducer, ownTopics: readonly string[], topicsPerTenant = 20) {
  return async (job: ActionJob) => {
    const c = job.config;
    const name = String(c.topic);
    const topic = tenantTopic(job.tenantId, name);
    const problem = ownTopics.includes(topic)
      ? { code: 'topic.reserved', message: `${topic} is one of the engine's own topics` }
      : kafkaTopicProblem(name);
    if (problem) throw new PermanentError('kafka.topic_refused', problem.message);
    try {
      const made = await producer.ensureTopic(topic, tenantTopicPrefix(job.tenantId), topicsPerTenant);
      if (made === 'over_limit') {
        throw new PermanentError(
          'kafka.topic_limit',
          `This workspace already has ${topicsPerTenant} Kafka topics; ${topic} was not created`,
        );
      }
      await producer.send(topic, [
        {
          key: text(c.key),
          value: text(c.value) ?? '',
          headers: { 'tripwire-action-id': job.actionId, [TENANT_HEADER]: job.tenantId },
        },
      ]);
    } catch (error) {
      if (error instanceof PermanentError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      if (/invalid topic|not authorized/i.test(message)) throw new PermanentError('kafka.rejected', message);
      throw new RetriableError('kafka.unavailable', message);
    }
    return { topic };
  };
}
