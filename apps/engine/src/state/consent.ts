import type { TenantTx } from '@tripwire/db';
import { type ConsentDecision, type ConsentPreferences, type ConsentSettings, decideConsent } from '@tripwire/rules';
import { sql } from 'drizzle-orm';

/** How long a tenant's consent settings are trusted: a change takes effect within this. */
export const CONSENT_SETTINGS_TTL_MS = 5_000;

/**
 * Consent for the walk's port. The tenant's settings (categories, default) are cached briefly, so an
 * action that needs no consent (no category of its own, no default) costs no query; one that does
 * reads the user's answers in the run's transaction, so a withdrawal committed before counts.
 */
export function createConsentLookup(ttlMs = CONSENT_SETTINGS_TTL_MS) {
  const settingsCache = new Map<string, { settings: ConsentSettings; until: number }>();

  async function settingsOf(tx: TenantTx, tenantId: string): Promise<ConsentSettings> {
    const hit = settingsCache.get(tenantId);
    if (hit && hit.until > Date.now()) return hit.settings;
    const { rows } = await tx.execute<{ categories: string[]; default_category: string | null }>(sql`
      select consent_categories as categories, default_consent_category as default_category
      from tenants where id = ${tenantId}::uuid`);
    const settings = { categories: rows[0]?.categories ?? [], defaultCategory: rows[0]?.default_category ?? null };
    settingsCache.set(tenantId, { settings, until: Date.now() + ttlMs });
    return settings;
  }

  async function preferencesOf(tx: TenantTx, tenantId: string, userId: string) {
    const { rows } = await tx.execute<{ preferences: ConsentPreferences }>(sql`
      select preferences from user_consent where tenant_id = ${tenantId}::uuid and user_id = ${userId}`);
    return rows[0]?.preferences;
  }

  /** Decides for one run (one user): the user's answers are read at most once, when first needed. */
  return function forRun(enter: () => Promise<TenantTx>, tenantId: string, userId: string) {
    let preferences: Promise<ConsentPreferences | undefined> | undefined;
    return async (needed: string | undefined): Promise<ConsentDecision | null> => {
      const cached = settingsCache.get(tenantId);
      const settings =
        cached && cached.until > Date.now() ? cached.settings : await settingsOf(await enter(), tenantId);
      const decision = decideConsent(settings, undefined, needed);
      if (!decision) return null;
      preferences ??= enter().then((tx) => preferencesOf(tx, tenantId, userId));
      return decideConsent(settings, await preferences, needed);
    };
  };
}
export type ConsentLookup = ReturnType<typeof createConsentLookup>;
