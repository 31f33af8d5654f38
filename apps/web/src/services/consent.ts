import { type TenantTx, tenants, userConsent } from '@tripwire/db';
import { CONSENT_CATEGORY, type ConsentSettings } from '@tripwire/rules';
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';

// Consent: the categories a workspace asks its users about, the one an action needs by default, and
// each user's answers (from Segment's `context.consent.categoryPreferences` at ingestion, or the API).

export const MAX_TENANT_CATEGORIES = 20;

const Category = z
  .string()
  .trim()
  .toLowerCase()
  .regex(CONSENT_CATEGORY, 'a category is 1-40 lower-case letters, digits, "-" or "_" (e.g. marketing)');

export const ConsentSettingsRequest = z
  .object({
    categories: z
      .array(Category)
      .max(MAX_TENANT_CATEGORIES, `at most ${MAX_TENANT_CATEGORIES} categories`)
      .refine((c) => new Set(c).size === c.length, 'categories must not repeat')
      .refine((c) => !c.includes('none'), '"none" means "needs no consent" and cannot be a category'),
    defaultCategory: Category.nullable().default(null),
  })
  .refine((s) => s.defaultCategory === null || s.categories.includes(s.defaultCategory), {
    message: 'the default category must be one of the categories (or null: actions need no consent by default)',
    path: ['defaultCategory'],
  })
  .meta({ id: 'ConsentSettings' });

export const ConsentPreferencesRequest = z
  .object({
    categoryPreferences: z
      .record(Category, z.boolean({ error: 'each category is true (granted) or false (withdrawn)' }))
      .refine((p) => Object.keys(p).length > 0, 'name at least one category')
      .refine((p) => Object.keys(p).length <= 50, 'at most 50 categories'),
  })
  .meta({ id: 'ConsentPreferences' });

export async function getConsentSettings(tx: TenantTx, tenantId: string): Promise<ConsentSettings> {
  const [row] = await tx
    .select({ categories: tenants.consentCategories, defaultCategory: tenants.defaultConsentCategory })
    .from(tenants)
    .where(eq(tenants.id, tenantId));
  return { categories: row?.categories ?? [], defaultCategory: row?.defaultCategory ?? null };
}

export async function setConsentSettings(
  tx: TenantTx,
  tenantId: string,
  settings: z.infer<typeof ConsentSettingsRequest>,
): Promise<ConsentSettings> {
  await tx
    .update(tenants)
    .set({ consentCategories: settings.categories, defaultConsentCategory: settings.defaultCategory })
    .where(eq(tenants.id, tenantId));
  return { categories: settings.categories, defaultCategory: settings.defaultCategory };
}

/** Merges answers into users' consent, category by category, newest wins (in the order given). */
export async function mergeConsent(
  tx: TenantTx,
  tenantId: string,
  answers: { userId: string; preferences: Record<string, boolean> }[],
): Promise<void> {
  const byUser = new Map<string, Record<string, boolean>>();
  for (const a of answers) byUser.set(a.userId, { ...byUser.get(a.userId), ...a.preferences });
  if (byUser.size === 0) return;
  await tx
    .insert(userConsent)
    .values([...byUser].map(([userId, preferences]) => ({ tenantId, userId, preferences })))
    .onConflictDoUpdate({
      target: [userConsent.tenantId, userConsent.userId],
      set: { preferences: sql`${userConsent.preferences} || excluded.preferences`, updatedAt: sql`now()` },
    });
}

export async function getUserConsent(tx: TenantTx, tenantId: string, userId: string) {
  const [row] = await tx
    .select({ categoryPreferences: userConsent.preferences, updatedAt: userConsent.updatedAt })
    .from(userConsent)
    .where(and(eq(userConsent.tenantId, tenantId), eq(userConsent.userId, userId)));
  return row ? { userId, ...row } : null;
}
