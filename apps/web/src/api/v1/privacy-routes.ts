import { type Database, userDeletions, withTenant } from '@tripwire/db';
import { MAX_USER_ID_LENGTH } from '@tripwire/rules';
import { and, desc, eq } from 'drizzle-orm';
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { SuppressionCheck } from '../../ingest/suppression.ts';
import {
  ConsentPreferencesRequest,
  ConsentSettingsRequest,
  getConsentSettings,
  getUserConsent,
  mergeConsent,
  setConsentSettings,
} from '../../services/consent.ts';
import { deleteUserData, isSuppressed, liftSuppression } from '../../services/user-deletion.ts';
import { authenticated, requireKey } from '../auth.ts';
import { HttpError, invalid } from '../http-error.ts';
import type { KeyResolver } from '../key-resolver.ts';
import { storableJson } from '../text-guard.ts';

const UserId = z.string().trim().min(1).max(MAX_USER_ID_LENGTH);

function userIdOf(req: Request): string {
  const parsed = UserId.safeParse(req.params.userId);
  if (!parsed.success)
    throw new HttpError(400, 'invalid_user_id', `A user id is 1 to ${MAX_USER_ID_LENGTH} characters`);
  return parsed.data;
}

/** Consent (settings and per user), deletion and suppression of end users: admin keys only. */
export function privacyRoutes({
  db,
  resolver,
  jobsSchema,
  suppression,
}: {
  db: Database;
  resolver: KeyResolver;
  jobsSchema: string;
  suppression?: Pick<SuppressionCheck, 'evict'>;
}): Router {
  const router = Router();
  const admin = requireKey(resolver, 'admin');
  const json = storableJson('16kb');

  router.get('/consent/settings', admin, async (_req: Request, res: Response) => {
    const { tenantId } = authenticated(res);
    res.json(await withTenant(db, tenantId, (tx) => getConsentSettings(tx, tenantId)));
  });

  router.put('/consent/settings', json, admin, async (req: Request, res: Response) => {
    const { tenantId } = authenticated(res);
    const parsed = ConsentSettingsRequest.safeParse(req.body);
    if (!parsed.success) throw invalid(parsed.error, 'The consent settings are invalid');
    res.json(await withTenant(db, tenantId, (tx) => setConsentSettings(tx, tenantId, parsed.data)));
  });

  router.get('/users/:userId/consent', admin, async (req: Request, res: Response) => {
    const { tenantId } = authenticated(res);
    const userId = userIdOf(req);
    const consent = await withTenant(db, tenantId, (tx) => getUserConsent(tx, tenantId, userId));
    res.json(consent ?? { userId, categoryPreferences: {}, updatedAt: null });
  });

  router.put('/users/:userId/consent', json, admin, async (req: Request, res: Response) => {
    const { tenantId } = authenticated(res);
    const userId = userIdOf(req);
    const parsed = ConsentPreferencesRequest.safeParse(req.body);
    if (!parsed.success) throw invalid(parsed.error, 'The consent is invalid');
    const consent = await withTenant(db, tenantId, async (tx) => {
      if (await isSuppressed(tx, tenantId, userId))
        throw new HttpError(409, 'suppressed', `User ${userId} was deleted; lift the suppression first`);
      await mergeConsent(tx, tenantId, [{ userId, preferences: parsed.data.categoryPreferences }]);
      return getUserConsent(tx, tenantId, userId);
    });
    res.json(consent);
  });

  router.delete('/users/:userId', admin, async (req: Request, res: Response) => {
    const { tenantId, keyId } = authenticated(res);
    const userId = userIdOf(req);
    const record = await withTenant(db, tenantId, (tx) =>
      deleteUserData(tx, { tenantId, userId, requestedBy: `api key ${keyId}`, jobsSchema }),
    );
    suppression?.evict(tenantId);
    res.json({ deleted: true, suppressed: true, ...record });
  });

  router.delete('/users/:userId/suppression', admin, async (req: Request, res: Response) => {
    const { tenantId } = authenticated(res);
    const userId = userIdOf(req);
    const lifted = await withTenant(db, tenantId, (tx) => liftSuppression(tx, tenantId, userId));
    suppression?.evict(tenantId);
    if (!lifted) throw new HttpError(404, 'not_found', `User ${userId} is not suppressed`);
    res.json({ lifted: true });
  });

  router.get('/user-deletions', admin, async (_req: Request, res: Response) => {
    const { tenantId } = authenticated(res);
    const rows = await withTenant(db, tenantId, (tx) =>
      tx
        .select({
          id: userDeletions.id,
          deletedAt: userDeletions.deletedAt,
          requestedBy: userDeletions.requestedBy,
          counts: userDeletions.counts,
        })
        .from(userDeletions)
        .where(and(eq(userDeletions.tenantId, tenantId)))
        .orderBy(desc(userDeletions.deletedAt))
        .limit(100),
    );
    res.json({ data: rows });
  });

  return router;
}
