import { describe, expect, it } from 'vitest';
import { EngineEnv } from './env.ts';

describe('engine env', () => {
  it('fills the documented defaults', () => {
    const env = EngineEnv.parse({});
    expect(env).toMatchObject({
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      EVENTS_TOPIC: 'tripwire.events',
      DLQ_TOPIC: 'tripwire.events.dlq',
      ENGINE_PORT: 3001,
    });
  });

  it('splits a broker list and rejects malformed values with readable reasons', () => {
    expect(EngineEnv.parse({ KAFKA_BROKERS: 'a:1, b:2' }).KAFKA_BROKERS).toEqual(['a:1', 'b:2']);
    const bad = EngineEnv.safeParse({ KAFKA_BROKERS: 'nohost', ENGINE_PORT: '99999', DATABASE_URL: 'nope' });
    expect(bad.success).toBe(false);
    const paths = bad.error?.issues.map((i) => i.path[0]);
    expect(paths).toEqual(expect.arrayContaining(['KAFKA_BROKERS', 'ENGINE_PORT', 'DATABASE_URL']));
  });
});
