import type { Database } from '@tripwire/db';
import { withTenant } from '@tripwire/db';
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { createApiKey, listApiKeys, revokeApiKey } from '../../services/api-keys.ts';
import { getProfile } from '../../services/profiles.ts';
import { authenticated, requireKey } from '../auth.ts';
import { HttpError, invalid } from '../http-error.ts';
import type { KeyResolver } from '../key-resolver.ts';
import { storableJson } from '../text-guard.ts';

export const CreateApiKeyRequest = z
  .object({
    name: z.string().trim().min(1, 'name is required').max(100),
    scope: z.enum(['ingest', 'admin']),
  })
  .meta({ id: 'CreateApiKeyRequest' });

const Uuid = z.uuid();

export function adminRoutes({ db, resolver }: { db: Database; resolver: KeyResolver }): Router {
  const router = Router();
  const admin = requireKey(resolver, 'admin');
  const json = storableJson('64kb');

  router.get('/api-keys', admin, async (_req: Request, res: Response) => {
    const { tenantId } = authenticated(res);
    res.json({ data: await listApiKeys(db, { tenantId }) });
  });

  router.post('/api-keys', json, admin, async (req: Request, res: Response) => {
    const { tenantId } = authenticated(res);
    const parsed = CreateApiKeyRequest.safeParse(req.body);
    if (!parsed.success) throw invalid(parsed.error);
    const created = await withTenant(db, tenantId, (tx) => createApiKey(tx, { tenantId, ...parsed.data }));
    res.status(201).json(created);
  });

  router.delete('/api-keys/:id', admin, async (req: Request, res: Response) => {
    const { tenantId } = authenticated(res);
    const keyId = Uuid.safeParse(req.params.id);
    if (!keyId.success) throw new HttpError(404, 'not_found', 'No such API key');
    const revoked = await revokeApiKey(db, { tenantId, keyId: keyId.data });
    if (!revoked) throw new HttpError(404, 'not_found', 'No such API key, or it is already revoked');
    resolver.evict(revoked.hash);
    const { hash: _hash, ...visible } = revoked;
    res.json(visible);
  });

  router.get('/profiles/:userId', admin, async (req: Request, res: Response) => {
    const { tenantId } = authenticated(res);
    const userId = z.string().min(1).max(256).safeParse(req.params.userId);
    if (!userId.success) throw new HttpError(404, 'not_found', 'No such profile');
    const profile = await getProfile(db, { tenantId, userId: userId.data });
    if (!profile) throw new HttpError(404, 'not_found', `No profile for user ${userId.data}`);
    res.json(profile);
  });

  return router;
}
