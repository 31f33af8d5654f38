import { type Database, withTenant } from '@tripwire/db';
import { type Request, type Response, Router } from 'express';
import type { TrackingPlanCache } from '../../ingest/tracking-plan-check.ts';
import {
  getTrackingPlan,
  planFromJsonSchema,
  planResponse,
  setTrackingPlan,
  TrackingPlanRequest,
} from '../../services/tracking-plan.ts';
import { authenticated, requireKey } from '../auth.ts';
import { HttpError, invalid } from '../http-error.ts';
import type { KeyResolver } from '../key-resolver.ts';
import { storableJson } from '../text-guard.ts';

/** The workspace's tracking plan as JSON Schema (export with GET, import with PUT): admin keys only. */
export function trackingPlanRoutes({
  db,
  resolver,
  plans,
}: {
  db: Database;
  resolver: KeyResolver;
  plans?: Pick<TrackingPlanCache, 'evict'>;
}): Router {
  const router = Router();
  const admin = requireKey(resolver, 'admin');
  const json = storableJson('512kb');

  router.get('/tracking-plan', admin, async (_req: Request, res: Response) => {
    const { tenantId } = authenticated(res);
    res.json(planResponse(await withTenant(db, tenantId, (tx) => getTrackingPlan(tx, tenantId))));
  });

  router.put('/tracking-plan', json, admin, async (req: Request, res: Response) => {
    const { tenantId } = authenticated(res);
    const parsed = TrackingPlanRequest.safeParse(req.body);
    if (!parsed.success) throw invalid(parsed.error, 'The tracking plan is invalid');
    const plan = planFromJsonSchema(parsed.data.mode, parsed.data.schema);
    if (!plan.ok) throw new HttpError(400, 'invalid_request', 'The tracking plan is invalid', { details: plan.issues });
    const stored = await withTenant(db, tenantId, (tx) => setTrackingPlan(tx, tenantId, plan.plan));
    plans?.evict(tenantId);
    res.json(planResponse(stored));
  });

  return router;
}
