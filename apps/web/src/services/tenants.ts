import { randomBytes, randomUUID } from 'node:crypto';
import { type Database, memberships, signingSecrets, tenants, withTenant } from '@tripwire/db';
import { createApiKey } from './api-keys.ts';

/** A Standard Webhooks secret: `whsec_` + base64 of 24 random bytes. */
export function generateSigningSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

export interface CreatedTenant {
  tenantId: string;
  writeKey: string;
  adminKey: string;
  signingSecret: string;
}

export interface CreateTenantInput {
  name: string;
  ownerUserId?: string;
  ingestRatePerSecond?: number;
  ingestBurst?: number;
}

/** Creates a tenant with a write key, an admin key and a webhook signing secret (all shown once). */
export function createTenant(db: Database, input: CreateTenantInput): Promise<CreatedTenant> {
  const tenantId = randomUUID();
  return withTenant(db, tenantId, async (tx) => {
    await tx.insert(tenants).values({
      id: tenantId,
      name: input.name,
      ...(input.ingestRatePerSecond ? { ingestRatePerSecond: input.ingestRatePerSecond } : {}),
      ...(input.ingestBurst ? { ingestBurst: input.ingestBurst } : {}),
    });
    if (input.ownerUserId) await tx.insert(memberships).values({ tenantId, userId: input.ownerUserId, role: 'owner' });
    const createdBy = input.ownerUserId ?? null;
    const write = await createApiKey(tx, { tenantId, name: 'Default write key', scope: 'ingest', createdBy });
    const admin = await createApiKey(tx, { tenantId, name: 'Default admin key', scope: 'admin', createdBy });
    const signingSecret = generateSigningSecret();
    await tx.insert(signingSecrets).values({ tenantId, id: randomUUID(), secret: signingSecret });
    return { tenantId, writeKey: write.key, adminKey: admin.key, signingSecret };
  });
}
