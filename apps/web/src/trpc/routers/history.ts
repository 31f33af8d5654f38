import { backtests, postgresEventHistory } from '@tripwire/db';
import { TRPCError } from '@trpc/server';
import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { BacktestRejected, cancelBacktest, getBacktest, requestBacktest } from '../../services/backtests.ts';
import { ExplainRejected, explainUserHistory } from '../../services/explain.ts';
import type { Context } from '../context.ts';
import { router, tenantProcedure } from '../init.ts';

// The editor's "Why not?" panel and backtests (issue 14), over the same services as /v1.

const store = (ctx: Context) => postgresEventHistory(ctx.db, { maxDays: ctx.env.HISTORY_MAX_DAYS });

/** The services' refusals as the caller's errors, with their own words. */
function refused(error: unknown): never {
  if (error instanceof ExplainRejected || error instanceof BacktestRejected) {
    const code =
      error.code === 'not_found' || error.code === 'unknown_user'
        ? 'NOT_FOUND'
        : error.code === 'busy'
          ? 'CONFLICT'
          : 'BAD_REQUEST';
    throw new TRPCError({ code, message: error.message });
  }
  throw error;
}

export const historyRouter = router({
  explain: tenantProcedure('viewer')
    .input(
      z.object({
        workflowId: z.uuid(),
        userId: z.string().trim().min(1, 'Enter a user id').max(256),
        from: z.coerce.date().optional(),
        to: z.coerce.date().optional(),
      }),
    )
    .query(({ ctx, input }) =>
      explainUserHistory(ctx.tx, store(ctx), {
        tenantId: ctx.tenantId,
        workflowId: input.workflowId,
        userId: input.userId,
        ...(input.from ? { from: input.from } : {}),
        ...(input.to ? { to: input.to } : {}),
      }).catch(refused),
    ),
  startBacktest: tenantProcedure('editor')
    .input(z.object({ workflowId: z.uuid(), days: z.number().int().min(1).max(90) }))
    .mutation(async ({ ctx, input }) => {
      const to = new Date();
      const from = new Date(to.getTime() - input.days * 86_400_000);
      return requestBacktest(ctx.tx, store(ctx), await ctx.jobs(), {
        tenantId: ctx.tenantId,
        workflowId: input.workflowId,
        from,
        to,
      }).catch(refused);
    }),
  backtest: tenantProcedure('viewer')
    .input(z.object({ id: z.uuid() }))
    .query(async ({ ctx, input }) => {
      const bt = await getBacktest(ctx.tx, ctx.tenantId, input.id);
      if (!bt) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such backtest' });
      return bt;
    }),
  /** The workflow's latest backtest (the publish dialog's foresight and the backtest page). */
  latestBacktest: tenantProcedure('viewer')
    .input(z.object({ workflowId: z.uuid() }))
    .query(async ({ ctx, input }) => {
      const [row] = await ctx.tx
        .select({ id: backtests.id })
        .from(backtests)
        .where(and(eq(backtests.tenantId, ctx.tenantId), eq(backtests.workflowId, input.workflowId)))
        .orderBy(desc(backtests.createdAt))
        .limit(1);
      return row ? getBacktest(ctx.tx, ctx.tenantId, row.id) : null;
    }),
  cancelBacktest: tenantProcedure('editor')
    .input(z.object({ id: z.uuid() }))
    .mutation(async ({ ctx, input }) => ({ cancelled: await cancelBacktest(ctx.tx, ctx.tenantId, input.id) })),
});
