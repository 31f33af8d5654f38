import {
  isHeaderName,
  LOOKUP_MAX_HEADER_VALUE_LENGTH,
  LOOKUP_MAX_HEADERS,
  LOOKUP_MAX_TIMEOUT_MS,
  LOOKUP_MAX_URL_LENGTH,
  LOOKUP_MIN_TIMEOUT_MS,
  type LookupAnswer,
} from '@tripwire/rules';
import { z } from 'zod';
import { memberProcedure, router } from '../init.ts';

/** A look-up request as the test run's step rendered it (the engine gets the same one). */
export const LookupTestRequest = z.object({
  url: z.string().min(1).max(LOOKUP_MAX_URL_LENGTH),
  headers: z
    .record(
      z.string().refine(isHeaderName, 'A header name is letters, digits and - _ . only'),
      z.string().max(LOOKUP_MAX_HEADER_VALUE_LENGTH),
    )
    .refine((h) => Object.keys(h).length <= LOOKUP_MAX_HEADERS, `At most ${LOOKUP_MAX_HEADERS} headers`),
  timeoutMs: z.number().int().min(LOOKUP_MIN_TIMEOUT_MS).max(LOOKUP_MAX_TIMEOUT_MS),
});

/**
 * The editor's test run of a "Look up" node: the real request, made from the server with the same
 * address guard, time-out and answer limit as the engine, never cached. Editors only; no
 * transaction is held while the API answers.
 */
export const lookupsRouter = router({
  test: memberProcedure('editor')
    .input(LookupTestRequest)
    .mutation(async ({ ctx, input }): Promise<LookupAnswer> => {
      const answer = await ctx.lookups.get(input);
      return answer.ok ? { ...answer, cached: false } : answer;
    }),
});
