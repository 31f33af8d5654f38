import { usageOf } from '../../services/usage.ts';
import { router, tenantProcedure } from '../init.ts';

/** Settings → Usage and the banner: what the workspace used against its plan's quotas. */
export const usageRouter = router({
  summary: tenantProcedure('viewer').query(({ ctx }) => usageOf(ctx.tx, ctx.tenantId)),
});
