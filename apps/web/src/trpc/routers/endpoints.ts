import { listEndpoints } from '../../services/endpoints.ts';
import { router, tenantProcedure } from '../init.ts';

/** The endpoints actions call, with their circuit breakers (paused endpoints keep their deliveries). */
export const endpointsRouter = router({
  list: tenantProcedure('viewer').query(({ ctx }) => listEndpoints(ctx.tx, ctx.env.JOBS_SCHEMA, ctx.tenantId)),
});
