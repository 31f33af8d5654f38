import type { TenantTx } from '@tripwire/db';
import { type ConsentDecision, type ConsentPreferences, decideConsent } from '@tripwire/rules';
import { sql } from 'drizzle-orm';

/**
 * The tenant's consent settings and one user's preferences in one round trip, as a function that
 * decides for the category an action needs (see decideConsent). The caller's tx must act as the tenant.
 */
export async function loadConsent(
  tx: TenantTx,
  tenantId: string,
  userId: string,
): Promise<(needed: string | undefined) => ConsentDecision | null> {
  const { rows } = await tx.execute<{
    categories: string[];
    default_category: string | null;
    preferences: ConsentPreferences | null;
  }>(sql`
    select t.consent_categories as categories, t.default_consent_category as default_category, c.preferences
    from tenants t
    left join user_consent c on c.tenant_id = t.id and c.user_id = ${userId}
    where t.id = ${tenantId}::uuid`);
  const row = rows[0];
  const settings = { categories: row?.categories ?? [], defaultCategory: row?.default_category ?? null };
  return (needed) => decideConsent(settings, row?.preferences ?? undefined, needed);
}
