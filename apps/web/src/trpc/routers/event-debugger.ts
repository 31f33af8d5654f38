import { z } from 'zod';
import { recentRejections, runsTriggeredBy } from '../../debugger/activity.ts';
import { router, tenantProcedure } from '../init.ts';

/** The event debugger's reads; the live events themselves come over server-sent events (/live/events). */
export const eventDebuggerRouter = router({
  triggered: tenantProcedure('viewer')
    .input(z.object({ messageIds: z.array(z.string().min(1).max(200)).max(200) }))
    .query(({ ctx, input }) => runsTriggeredBy(ctx.tx, ctx.tenantId, input.messageIds)),

  rejections: tenantProcedure('viewer').query(({ ctx }) => recentRejections(ctx.tx, ctx.tenantId)),
});
