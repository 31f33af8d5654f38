import { endpointGroup, splitEndpointGroup } from '@tripwire/rules';
import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './endpoints.ts';

describe('endpoint groups', () => {
  it('is the tenant and the URL origin, for webhook and Slack URLs alike', () => {
    expect(endpointGroup({ tenantId: 't1', config: { url: 'https://Hooks.Example.com:8443/a/b?x=1' } })).toEqual({
      id: 't1|https://hooks.example.com:8443',
    });
    expect(endpointGroup({ tenantId: 't1', config: { webhookUrl: 'https://hooks.slack.com/services/X' } })).toEqual({
      id: 't1|https://hooks.slack.com',
    });
    expect(splitEndpointGroup('t1|https://hooks.slack.com')).toEqual({
      tenantId: 't1',
      endpoint: 'https://hooks.slack.com',
    });
  });

  it('has no group for actions without an http(s) URL', () => {
    expect(endpointGroup({ tenantId: 't1', config: { topic: 'x' } })).toBeUndefined();
    expect(endpointGroup({ tenantId: 't1', config: { url: 'not a url' } })).toBeUndefined();
    expect(endpointGroup({ tenantId: 't1', config: { url: 'file:///etc/passwd' } })).toBeUndefined();
  });
});

describe('per-endpoint rate limiter', () => {
  it('lets a burst of `rate` through, then spaces requests 1/rate s apart, per group', () => {
    let t = 0;
    const waits: number[] = [];
    const limiter = createRateLimiter(10, () => t);
    const realSetTimeout = globalThis.setTimeout;
    // Record the waits instead of sleeping them.
    globalThis.setTimeout = ((fn: () => void, ms: number) => {
      waits.push(ms);
      fn();
      return 0;
    }) as unknown as typeof setTimeout;
    try {
      for (let i = 0; i < 13; i++) void limiter.take('a');
      void limiter.take('b');
      t = 1000;
      void limiter.take('a');
    } finally {
      globalThis.setTimeout = realSetTimeout;
    }
    // 10 free, then 100, 200, 300 ms; another group is not held back; a second later the bucket
    // has refilled by 10 but still owes the 3 borrowed tokens.
    expect(waits).toEqual([100, 200, 300]);
  });
});
