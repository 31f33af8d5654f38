import type { ActionJob } from '@tripwire/rules';
import { describe, expect, it } from 'vitest';
import { PermanentError } from '../errors.ts';
import type { MessageProducer } from '../kafka/kafka-client.ts';
import { createKafkaExecutor } from './action-kafka.ts';

// The guard runs before anything is produced, so a recording producer shows what would be sent;
// the end-to-end path to a real broker is in flows.int.test.ts.
function recorder(existing: string[] = []) {
  const sent: { topic: string; value: string; headers?: Record<string, string> }[] = [];
  const topics = new Set(existing);
  const producer: MessageProducer = {
    send: async (topic, messages) => {
      for (const m of messages) sent.push({ topic, value: m.value, ...(m.headers ? { headers: m.headers } : {}) });
    },
    ensureTopic: async (topic, prefix, max) => {
      if (topics.has(topic)) return 'exists';
      if ([...topics].filter((t) => t.startsWith(prefix)).length >= max) return 'over_limit';
      topics.add(topic);
      return 'created';
    },
    disconnect: async () => {},
  };
  return { producer, sent, topics };
}
const TENANT = '00000000-0000-4000-8000-000000000001';

const job = (topic: string): ActionJob =>
  ({
    actionId: 'a1',
    tenantId: TENANT,
    config: { topic, value: { ok: true } },
  }) as unknown as ActionJob;

describe('action.kafka executor', () => {
  // An engine whose own topic happens to lie in a tenant's namespace still never writes there.
  const own = ['events-prod', `tenant.${TENANT}.own`];

  it.each(['own', 'tripwire.events', 'TRIPWIRE.anything', '__consumer_offsets', 'bad topic'])(
    'refuses %s permanently and sends nothing',
    async (topic) => {
      const { producer, sent } = recorder();
      const error = await createKafkaExecutor(producer, own)(job(topic)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PermanentError);
      expect((error as PermanentError).code).toBe('kafka.topic_refused');
      expect(sent).toEqual([]);
    },
  );

  it("publishes into the tenant's namespace, creating the topic, with the tenant in a header", async () => {
    const { producer, sent, topics } = recorder();
    const topic = `tenant.${TENANT}.crm.orders`;
    await expect(createKafkaExecutor(producer, own)(job('crm.orders'))).resolves.toEqual({ topic });
    expect(sent).toEqual([
      { topic, value: '{"ok":true}', headers: { 'tripwire-action-id': 'a1', 'tripwire-tenant': TENANT } },
    ]);
    expect(topics.has(topic)).toBe(true);
  });

  it("refuses permanently a topic beyond the tenant's quota, and keeps publishing to existing ones", async () => {
    const existing = [1, 2].map((i) => `tenant.${TENANT}.t${i}`);
    const { producer, sent } = recorder([...existing, 'tenant.00000000-0000-4000-8000-000000000002.x']);
    const error = await createKafkaExecutor(producer, own, 2)(job('t3')).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'kafka.topic_limit' });
    expect(error).toBeInstanceOf(PermanentError);
    await createKafkaExecutor(producer, own, 2)(job('t1'));
    expect(sent.map((m) => m.topic)).toEqual([existing[0]]);
  });
});
