import { PermanentError, RetriableError } from '../errors.ts';
import type { MessageProducer } from '../kafka/kafka-client.ts';
import type { ActionJob } from '../nodes/actions.ts';

const text = (value: unknown) =>
  value === undefined || value === null ? null : typeof value === 'string' ? value : JSON.stringify(value);

/** action.kafka: publishes the rendered key and value to the configured topic (acks=all). */
export function createKafkaExecutor(producer: MessageProducer) {
  return async (job: ActionJob) => {
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
  };
}
