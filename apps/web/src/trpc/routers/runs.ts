import { workflows } from '@tripwire/db';
import { TRPCError } from '@trpc/server';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { COUNT_WINDOWS, getRunTrace, listRuns, pathCountsOf, runCursor, runFilter } from '../../services/runs.ts';
import { versionNumber } from '../../services/workflows.ts';
import { router, tenantProcedure } from '../init.ts';

export const runsRouter = router({
  /**
   * Newest first, filtered, a page at a time (pass back `next` as `cursor`); each run with what its
   * actions did (delivered / retrying / failed), the node it is at by name, and its steps in words.
   */
  list: tenantProcedure('viewer')
    .input(
      z
        .object({
          filter: runFilter.default({}),
          cursor: runCursor.optional(),
          limit: z.number().int().min(1).max(200).default(50),
        })
        .default({ filter: {}, limit: 50 }),
    )
    .query(({ ctx, input }) =>
      listRuns(ctx.tx, {
        tenantId: ctx.tenantId,
        filter: input.filter,
        limit: input.limit,
        ...(input.cursor ? { cursor: input.cursor } : {}),
      }),
    ),
  trace: tenantProcedure('viewer')
    .input(z.object({ id: z.uuid() }))
    .query(async ({ ctx, input }) => {
      const trace = await getRunTrace(ctx.tx, { tenantId: ctx.tenantId, runId: input.id });
      if (!trace) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such run (runs are kept for a limited time)' });
      return trace;
    }),
  /** Counts on the canvas: the live version unless a version is named. */
  counts: tenantProcedure('viewer')
    .input(
      z.object({
        workflowId: z.uuid(),
        version: versionNumber.optional(),
        window: z.enum(Object.keys(COUNT_WINDOWS) as [keyof typeof COUNT_WINDOWS]).default('24h'),
      }),
    )
    .query(async ({ ctx, input }) => {
      const [wf] = await ctx.tx
        .select({ activeVersion: workflows.activeVersion })
        .from(workflows)
        .where(and(eq(workflows.tenantId, ctx.tenantId), eq(workflows.id, input.workflowId)));
      if (!wf) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such workflow' });
      const version = input.version ?? wf.activeVersion;
      if (version === null || version === undefined) return { version: null, counts: null };
      const counts = await pathCountsOf(ctx.tx, {
        tenantId: ctx.tenantId,
        workflowId: input.workflowId,
        version,
        window: input.window,
      });
      return { version, counts };
    }),
});
