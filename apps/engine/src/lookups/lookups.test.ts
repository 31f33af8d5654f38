import { LOOKUP_MAX_CALLS_PER_WALK, type LookupRequest } from '@tripwire/rules';
import { describe, expect, it } from 'vitest';
import { createMetrics } from '../metrics.ts';
import type { UnitOfWork } from '../unit-of-work.ts';
import { createLookups } from './lookups.ts';

const request: LookupRequest = { url: 'https://api.example.com/u/1', headers: {}, timeoutMs: 1000, cacheForMs: 0 };

describe('the engine look-up port', () => {
  it(`makes at most ${LOOKUP_MAX_CALLS_PER_WALK} API calls per walk (each may wait its time-out in the transaction)`, async () => {
    let sent = 0;
    const http = {
      get: async () => {
        sent++;
        return { ok: true as const, status: 200, value: { n: sent }, durationMs: 1 };
      },
    };
    const lookupFor = createLookups({ http, clock: () => Date.now(), metrics: createMetrics() });
    // No cache asked for (cacheForMs 0), so the unit of work is never entered.
    const walk = lookupFor({} as UnitOfWork, 't', 'u');
    const answers = [];
    for (let i = 0; i < LOOKUP_MAX_CALLS_PER_WALK + 2; i++) answers.push(await walk(`n${i}`, request));
    expect(sent).toBe(LOOKUP_MAX_CALLS_PER_WALK);
    expect(answers.filter((a) => a.ok)).toHaveLength(LOOKUP_MAX_CALLS_PER_WALK);
    expect(answers.at(-1)).toMatchObject({ ok: false, reason: 'invalid_request' });
    // Another walk (another run) has its own allowance.
    expect(await lookupFor({} as UnitOfWork, 't', 'u')('n', request)).toMatchObject({ ok: true });
  });
});
