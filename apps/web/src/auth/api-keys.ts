import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { apiKeys, type TenantTx } from '@tripwire/db';

export type ApiKeyScope = 'ingest' | 'admin';

// Write keys (ingest) and admin keys look different so a leaked one is easy to triage.
const PREFIX: Record<ApiKeyScope, string> = { ingest: 'tw_wk_', admin: 'tw_ak_' };
const VISIBLE = 12;

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function generateApiKey(scope: ApiKeyScope) {
  const key = PREFIX[scope] + randomBytes(24).toString('base64url');
  return { key, prefix: key.slice(0, VISIBLE), hash: hashApiKey(key) };
}

/** Creates a key for the tenant the transaction acts as; the returned key is shown once, never stored. */
export async function createApiKey(
  tx: TenantTx,
  input: { tenantId: string; name: string; scope: ApiKeyScope; createdBy?: string | null },
) {
  const { key, prefix, hash } = generateApiKey(input.scope);
  const id = randomUUID();
  await tx.insert(apiKeys).values({
    tenantId: input.tenantId,
    id,
    name: input.name,
    scope: input.scope,
    prefix,
    hash,
    createdBy: input.createdBy ?? null,
  });
  return { id, key, prefix, scope: input.scope };
}
