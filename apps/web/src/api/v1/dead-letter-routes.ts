import type { Database } from '@tripwire/db';
import { timestampProblem } from '@tripwire/rules';
import { type Request, type Response, Router } from 'express';
import type { PgBoss } from 'pg-boss';
import { z } from 'zod';
import { listDeadLetters, replayDeadLetter } from '../../services/dead-letters.ts';
import { authenticated, requireKey } from '../auth.ts';
import { HttpError, invalid } from '../http-error.ts';
import type { KeyResolver } from '../key-resolver.ts';

export const DeadLetterQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z.iso
    .datetime({ offset: true })
    .refine((value) => timestampProblem(value) === undefined, 'must be a date between the years 0001 and 9999')
    .optional(),
});

export function deadLetterRoutes({
  db,
  resolver,
  boss,
}: {
  db: Database;
  resolver: KeyResolver;
  boss: () => Promise<PgBoss>;
}): Router {
  const router = Router();
  const admin = requireKey(resolver, 'admin');

  router.get('/dead-letters', admin, async (req: Request, res: Response) => {
    const query = DeadLetterQuery.safeParse(req.query);
    if (!query.success) throw invalid(query.error);
    const { tenantId } = authenticated(res);
    const before = query.data.before ? new Date(query.data.before) : undefined;
    res.json({ data: await listDeadLetters(db, { tenantId, limit: query.data.limit, ...(before ? { before } : {}) }) });
  });

  router.post('/dead-letters/:id/replay', admin, async (req: Request, res: Response) => {
    const id = z.uuid().safeParse(req.params.id);
    if (!id.success) throw new HttpError(404, 'not_found', 'No such dead letter');
    const result = await replayDeadLetter(db, await boss(), { tenantId: authenticated(res).tenantId, id: id.data });
    if (result.status === 'not_found') throw new HttpError(404, 'not_found', 'No such dead letter');
    if (result.status === 'already_replayed') {
      throw new HttpError(
        409,
        'already_replayed',
        'This dead letter was already replayed; a new failure files a new one',
        {
          details: { jobId: result.jobId },
        },
      );
    }
    res.status(202).json({ jobId: result.jobId });
  });

  return router;
}
