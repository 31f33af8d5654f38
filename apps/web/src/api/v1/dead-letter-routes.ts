import { type Database, withTenant } from '@tripwire/db';
import { timestampProblem } from '@tripwire/rules';
import { type Request, type Response, Router } from 'express';
import type { PgBoss } from 'pg-boss';
import { z } from 'zod';
import { keyActor } from '../../services/audit-log.ts';
import { discardDeadLetters, replayDeadLetters } from '../../services/dead-letter-actions.ts';
import { definedSecretPaths, listDeadLetters } from '../../services/dead-letters.ts';
import { listEndpoints } from '../../services/endpoints.ts';
import { authenticated, keyFromRequest, requireKey } from '../auth.ts';
import { HttpError, invalid } from '../http-error.ts';
import type { KeyResolver } from '../key-resolver.ts';

export const DeadLetterQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z.iso
    .datetime({ offset: true })
    .refine((value) => timestampProblem(value) === undefined, 'must be a date between the years 0001 and 9999')
    .optional(),
  workflowId: z.uuid().optional(),
  type: z.string().max(200).optional(),
  error: z.string().max(200).optional(),
  state: z.enum(['open', 'replayed', 'discarded', 'all']).default('all'),
});

const SKIPPED = {
  not_found: [404, 'not_found', 'No such dead letter'],
  already_replayed: [409, 'already_replayed', 'This dead letter was already replayed; a new failure files a new one'],
  discarded: [409, 'discarded', 'This dead letter was discarded and cannot be replayed'],
} as const;

export function deadLetterRoutes({
  db,
  resolver,
  boss,
  jobsSchema,
}: {
  db: Database;
  resolver: KeyResolver;
  boss: () => Promise<PgBoss>;
  jobsSchema: string;
}): Router {
  const router = Router();
  const admin = requireKey(resolver, 'admin');
  const actorOf = (req: Request, res: Response) =>
    keyActor(authenticated(res).keyId, (keyFromRequest(req) ?? '').slice(0, 12));
  const letterId = (req: Request) => {
    const id = z.uuid().safeParse(req.params.id);
    if (!id.success) throw new HttpError(404, 'not_found', 'No such dead letter');
    return id.data;
  };

  // The endpoints actions call whose circuit breaker has opened: paused ones keep their deliveries.
  router.get('/endpoints', admin, async (_req: Request, res: Response) => {
    const { tenantId } = authenticated(res);
    const data = await withTenant(db, tenantId, (tx) => listEndpoints(tx, jobsSchema, tenantId));
    res.json({ data });
  });

  router.get('/dead-letters', admin, async (req: Request, res: Response) => {
    const query = DeadLetterQuery.safeParse(req.query);
    if (!query.success) throw invalid(query.error);
    const { tenantId } = authenticated(res);
    const { before, type, ...filter } = query.data;
    const data = await withTenant(db, tenantId, (tx) =>
      listDeadLetters(tx, jobsSchema, tenantId, {
        ...filter,
        ...(type ? { queue: type } : {}),
        ...(before ? { before: new Date(before) } : {}),
        payloads: definedSecretPaths,
      }),
    );
    res.json({ data });
  });

  router.post('/dead-letters/:id/replay', admin, async (req: Request, res: Response) => {
    const id = letterId(req);
    const { tenantId } = authenticated(res);
    const jobs = await boss();
    const outcome = await withTenant(db, tenantId, (tx) =>
      replayDeadLetters(tx, jobs, { tenantId, ids: [id], actor: actorOf(req, res) }),
    );
    const skipped = outcome.skipped[0];
    if (skipped) {
      const [status, code, message] = SKIPPED[skipped.reason];
      throw new HttpError(status, code, message, skipped.jobId ? { details: { jobId: skipped.jobId } } : {});
    }
    res.status(202).json({ jobId: outcome.done[0]?.jobId });
  });

  router.post('/dead-letters/:id/discard', admin, async (req: Request, res: Response) => {
    const id = letterId(req);
    const { tenantId } = authenticated(res);
    const outcome = await withTenant(db, tenantId, (tx) =>
      discardDeadLetters(tx, { tenantId, ids: [id], actor: actorOf(req, res) }),
    );
    const skipped = outcome.skipped[0];
    if (skipped) {
      const [status, code, message] = SKIPPED[skipped.reason];
      throw new HttpError(status, code, message);
    }
    res.status(204).end();
  });

  return router;
}
