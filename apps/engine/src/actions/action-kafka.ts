import type { ActionJob } from '@tripwire/rules';
import { kafkaTopicProblem } from '@tripwire/rules';
import { PermanentError, RetriableError } from '../errors.ts';
import type { MessageProducer } from '../kafka/kafka-client.ts';

const text = (value: unknown) =>
  value === undefined || value === null ? null : typeof value === 'string' ? value : JSON.stringify(value);

/**
 * action.kafka: publishes the rendered key and value to the configured topic (acks=all). Checked
 * again here, not only at publish: a message on the engine's own topics names its tenant and is
 * trusted, so a workflow writing there could act as another tenant. `ownTopics` are the topics
 * this engine consumes and dead-letters to, whatever they are named.
 */
export function createKafkaExecutor(producer: MessageProducer, ownTopics: readonly string[]) {
  return async (job: ActionJob) => {
    const c = job.config;
    const topic = String(c.topic);
    const problem = ownTopics.includes(topic)
      ? { code: 'topic.reserved', message: `${topic} is one of the engine's own topics` }
      : kafkaTopicProblem(topic);
    if (problem) throw new PermanentError('kafka.topic_refused', problem.message);
    try {
      await producer.send(topic, [
        { key: text(c.key), value: text(c.value) ?? '', headers: { 'tripwire-action-id': job.actionId } },
      ]);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (/invalid topic|not authorized/i.test(message)) throw new PermanentError('kafka.rejected', message);
      throw new RetriableError('kafka.unavailable', message);
    }
    return { topic: c.topic };
  };
}
