import type { ActionJob } from '@tripwire/rules';
import { describe, expect, it } from 'vitest';
import { PermanentError } from '../errors.ts';
import type { MessageProducer } from '../kafka/kafka-client.ts';
import { createKafkaExecutor } from './action-kafka.ts';

// The guard runs before anything is produced, so a recording producer shows what would be sent;
// the end-to-end path to a real broker is in flows.int.test.ts.
function recorder() {
  const sent: { topic: string; value: string }[] = [];
  const producer = {
    send: async (topic: string, messages: { value: string }[]) => {
      for (const m of messages) sent.push({ topic, value: m.value });
    },
  } as unknown as MessageProducer;
  return { producer, sent };
}

const job = (topic: string): ActionJob =>
  ({
    actionId: 'a1',
    tenantId: '00000000-0000-4000-8000-000000000001',
    config: { topic, value: { ok: true } },
  }) as unknown as ActionJob;

describe('action.kafka executor', () => {
  const own = ['events-prod', 'events-prod-dlq'];

  it.each([
    'events-prod',
    'events-prod-dlq',
    'tripwire.events',
    'TRIPWIRE.anything',
    '__consumer_offsets',
    'bad topic',
  ])('refuses %s permanently and sends nothing', async (topic) => {
    const { producer, sent } = recorder();
    const error = await createKafkaExecutor(producer, own)(job(topic)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as PermanentError).code).toBe('kafka.topic_refused');
    expect(sent).toEqual([]);
  });

  it('publishes to an ordinary topic', async () => {
    const { producer, sent } = recorder();
    await expect(createKafkaExecutor(producer, own)(job('crm.orders'))).resolves.toEqual({ topic: 'crm.orders' });
    expect(sent).toEqual([{ topic: 'crm.orders', value: '{"ok":true}' }]);
  });
});
