import { randomUUID } from 'node:crypto';
import { signingSecrets, type TenantTx } from '@tripwire/db';
import { and, asc, eq, gt, isNull, or, sql } from 'drizzle-orm';
import { generateSigningSecret } from './tenants.ts';

/** How long a rotated-out secret keeps signing alongside the new one (Standard Webhooks). */
export const ROTATION_OVERLAP_MS = 24 * 3_600_000;

const active = (tenantId: string) =>
  and(
    eq(signingSecrets.tenantId, tenantId),
    or(isNull(signingSecrets.expiresAt), gt(signingSecrets.expiresAt, sql`now()`)),
  );

/** Active secrets without their values: when made, until when, and whether it was shown. */
export async function listSecrets(tx: TenantTx, tenantId: string) {
  const rows = await tx
    .select({
      id: signingSecrets.id,
      createdAt: signingSecrets.createdAt,
      expiresAt: signingSecrets.expiresAt,
      revealedAt: signingSecrets.revealedAt,
      secret: signingSecrets.secret,
    })
    .from(signingSecrets)
    .where(active(tenantId))
    .orderBy(asc(signingSecrets.createdAt));
  return rows.map(({ secret, ...r }) => ({ ...r, hint: `${secret.slice(0, 10)}…` }));
}

/** Shows the current secret once; null when it was already shown (rotate to get a new one). */
export async function revealSecret(tx: TenantTx, tenantId: string): Promise<string | null> {
  const [row] = await tx
    .update(signingSecrets)
    .set({ revealedAt: new Date() })
    .where(and(active(tenantId), isNull(signingSecrets.expiresAt), isNull(signingSecrets.revealedAt)))
    .returning({ secret: signingSecrets.secret });
  return row?.secret ?? null;
}

/** A new secret (returned, shown once); the previous one keeps signing for 24 h. */
export async function rotateSecret(
  tx: TenantTx,
  tenantId: string,
): Promise<{ secret: string; previousExpiresAt: Date }> {
  const previousExpiresAt = new Date(Date.now() + ROTATION_OVERLAP_MS);
  await tx
    .update(signingSecrets)
    .set({ expiresAt: previousExpiresAt })
    .where(and(eq(signingSecrets.tenantId, tenantId), isNull(signingSecrets.expiresAt)));
  const secret = generateSigningSecret();
  await tx.insert(signingSecrets).values({ tenantId, id: randomUUID(), secret, revealedAt: new Date() });
  return { secret, previousExpiresAt };
}
