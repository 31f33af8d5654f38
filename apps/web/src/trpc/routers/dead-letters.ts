import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { recentAudit, userActor } from '../../services/audit-log.ts';
import { discardDeadLetters, MAX_SELECTION, replayDeadLetters } from '../../services/dead-letter-actions.ts';
import { deadLetterFacets, getDeadLetter, listDeadLetters } from '../../services/dead-letters.ts';
import { router, tenantProcedure } from '../init.ts';

const Filter = z.object({
  workflowId: z.uuid().optional(),
  queue: z.string().max(200).optional(),
  error: z.string().trim().max(200, 'Search for at most 200 characters').optional(),
  state: z.enum(['open', 'replayed', 'discarded', 'all']).default('open'),
  limit: z.number().int().min(1).max(200).default(100),
  before: z.date().optional(),
});

const Selection = z.object({
  ids: z
    .array(z.uuid())
    .min(1, 'Select at least one dead letter')
    .max(MAX_SELECTION, `Select at most ${MAX_SELECTION} dead letters at a time`),
});

/** Viewers read; editors and up replay and discard. Every change is in the audit log. */
export const deadLettersRouter = router({
  list: tenantProcedure('viewer')
    .input(Filter)
    .query(({ ctx, input }) => {
      const { workflowId, queue, error, before, ...rest } = input;
      return listDeadLetters(ctx.tx, ctx.env.JOBS_SCHEMA, ctx.tenantId, {
        ...rest,
        ...(workflowId ? { workflowId } : {}),
        ...(queue ? { queue } : {}),
        ...(error ? { error } : {}),
        ...(before ? { before } : {}),
      });
    }),

  facets: tenantProcedure('viewer').query(({ ctx }) => deadLetterFacets(ctx.tx, ctx.tenantId)),

  get: tenantProcedure('viewer')
    .input(z.object({ id: z.uuid() }))
    .query(async ({ ctx, input }) => {
      const letter = await getDeadLetter(ctx.tx, ctx.env.JOBS_SCHEMA, { tenantId: ctx.tenantId, id: input.id });
      if (!letter) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such dead letter' });
      return letter;
    }),

  activity: tenantProcedure('viewer').query(({ ctx }) => recentAudit(ctx.tx, ctx.tenantId, 'dead_letter', 20)),

  replay: tenantProcedure('editor')
    .input(Selection)
    .mutation(async ({ ctx, input }) =>
      replayDeadLetters(ctx.tx, await ctx.jobs(), {
        tenantId: ctx.tenantId,
        ids: input.ids,
        actor: userActor(ctx.user),
      }),
    ),

  discard: tenantProcedure('editor')
    .input(Selection.extend({ note: z.string().trim().max(500, 'Keep the note under 500 characters').optional() }))
    .mutation(({ ctx, input }) =>
      discardDeadLetters(ctx.tx, {
        tenantId: ctx.tenantId,
        ids: input.ids,
        actor: userActor(ctx.user),
        ...(input.note ? { note: input.note } : {}),
      }),
    ),
});
