import { randomUUID } from 'node:crypto';
import { apiKeys, type Database, type TenantTx, withTenant } from '@tripwire/db';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { type ApiKeyScope, generateApiKey } from '../auth/api-keys.ts';

export interface NewApiKey {
  id: string;
  name: string;
  key: string;
  prefix: string;
  scope: ApiKeyScope;
}

/** Creates a key for the tenant the transaction acts as; the key itself is returned once, never stored. */
export async function createApiKey(
  tx: TenantTx,
  input: { tenantId: string; name: string; scope: ApiKeyScope; createdBy?: string | null },
): Promise<NewApiKey> {
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
  return { id, name: input.name, key, prefix, scope: input.scope };
}

const listed = {
  id: apiKeys.id,
  name: apiKeys.name,
  scope: apiKeys.scope,
  prefix: apiKeys.prefix,
  createdAt: apiKeys.createdAt,
  lastUsedAt: apiKeys.lastUsedAt,
  revokedAt: apiKeys.revokedAt,
};

export function listApiKeys(db: Database, { tenantId }: { tenantId: string }) {
  return withTenant(db, tenantId, (tx) =>
    tx.select(listed).from(apiKeys).where(eq(apiKeys.tenantId, tenantId)).orderBy(desc(apiKeys.createdAt)),
  );
}

/** Revokes a key (kept for the audit trail); returns null when the tenant has no such live key. */
export async function revokeApiKey(db: Database, { tenantId, keyId }: { tenantId: string; keyId: string }) {
  const [row] = await withTenant(db, tenantId, (tx) =>
    tx
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt)))
      .returning({ ...listed, hash: apiKeys.hash }),
  );
  return row ?? null;
}
