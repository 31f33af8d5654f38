import { TrackingPlan, toJsonSchema } from '@tripwire/rules';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import {
  getTrackingPlan,
  planFromJsonSchema,
  setTrackingPlan,
  TrackingPlanRequest,
} from '../../services/tracking-plan.ts';
import { router, tenantProcedure } from '../init.ts';

/** The Settings page's tracking plan editor (ingestion picks a saved plan up within 5 s). */
export const trackingPlanRouter = router({
  get: tenantProcedure('viewer').query(async ({ ctx }) => {
    const { plan, updatedAt } = await getTrackingPlan(ctx.tx, ctx.tenantId);
    return { plan, updatedAt, schema: toJsonSchema(plan) };
  }),

  save: tenantProcedure('admin')
    .input(TrackingPlan)
    .mutation(async ({ ctx, input }) => {
      const { plan, updatedAt } = await setTrackingPlan(ctx.tx, ctx.tenantId, input);
      return { plan, updatedAt, schema: toJsonSchema(plan) };
    }),

  /** Replaces the plan's events with those of a JSON Schema (the mode stays as given). */
  importSchema: tenantProcedure('admin')
    .input(TrackingPlanRequest.extend({ schema: z.unknown() }))
    .mutation(async ({ ctx, input }) => {
      const imported = planFromJsonSchema(input.mode, input.schema);
      if (!imported.ok) {
        const first = imported.issues[0];
        throw new TRPCError({
          code: 'BAD_REQUEST',
          message: `The JSON Schema cannot be imported: ${first ? `${first.path.replace(/^schema\.?/, '') || 'the document'}: ${first.message}` : 'it is invalid'}`,
        });
      }
      const { plan, updatedAt } = await setTrackingPlan(ctx.tx, ctx.tenantId, imported.plan);
      return { plan, updatedAt, schema: toJsonSchema(plan) };
    }),
});
