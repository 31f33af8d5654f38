import { createHash } from 'node:crypto';
import type { JsonLookup } from '@tripwire/platform';
import { LOOKUP_MAX_CALLS_PER_WALK, type LookupAnswer, type LookupRequest, storableAnswer } from '@tripwire/rules';
import type { Clock } from '../clock.ts';
import type { Metrics } from '../metrics.ts';
import { cachedAnswer, storeAnswer } from '../state/lookup-cache.ts';
import type { UnitOfWork } from '../unit-of-work.ts';

/**
 * The engine's answer to a "Look up" node (the StatePort's `lookup`): the user's cached answer
 * within the node's "reuse for", else one GET through the address guard, bounded by the node's
 * time-out, while the walk waits. The cache rows are written in the batch's transaction, so an
 * answer is kept only when the run that asked for it is.
 */
export function createLookups({
  http,
  clock,
  metrics,
}: {
  http: Pick<JsonLookup, 'get'>;
  clock: Clock;
  metrics: Metrics;
}) {
  return function lookupFor(unit: UnitOfWork, tenantId: string, userId: string) {
    // Each call may wait its time-out inside the batch's transaction: a walk makes only so many.
    let calls = 0;
    return async (_nodeId: string, request: LookupRequest): Promise<LookupAnswer> => {
      const timer = metrics.lookupSeconds.startTimer();
      try {
        const key = { tenantId, userId, requestHash: requestHash(request) };
        if (request.cacheForMs > 0) {
          const hit = await cachedAnswer(await unit.enter(tenantId), key, new Date(clock() - request.cacheForMs));
          if (hit) {
            metrics.lookups.inc({ outcome: 'cached' });
            return { ok: true, status: hit.status, value: hit.value, durationMs: 0, cached: true };
          }
        }
        if (++calls > LOOKUP_MAX_CALLS_PER_WALK) {
          metrics.lookups.inc({ outcome: 'invalid_request' });
          return {
            ok: false,
            reason: 'invalid_request',
            message: `a run calls at most ${LOOKUP_MAX_CALLS_PER_WALK} look-up APIs per event; this one was not called`,
          };
        }
        const got = await http.get({ url: request.url, headers: request.headers, timeoutMs: request.timeoutMs });
        // Kept only as it may be stored (a NUL in a string would fail the batch's transaction).
        const answer = storableAnswer(got.ok ? { ...got, cached: false } : got);
        metrics.lookups.inc({ outcome: answer.ok ? 'ok' : answer.reason });
        if (!answer.ok) return answer;
        if (request.cacheForMs > 0) await storeAnswer(await unit.enter(tenantId), key, answer, new Date(clock()));
        return answer;
      } finally {
        timer();
      }
    };
  };
}

/**
 * What identifies a request for the cache: its URL and every header (sorted, names lower-cased),
 * hashed, so a rotated token or another URL asks again and no header value is stored.
 */
export function requestHash(request: Pick<LookupRequest, 'url' | 'headers'>): string {
  const headers = Object.entries(request.headers)
    .map(([k, v]) => [k.toLowerCase(), v])
    .sort(([a], [b]) => ((a as string) < (b as string) ? -1 : 1));
  return createHash('sha256')
    .update(JSON.stringify([request.url, headers]))
    .digest('hex');
}
