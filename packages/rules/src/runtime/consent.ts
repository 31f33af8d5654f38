import { CONSENT_CATEGORY } from '../fields.ts';
import type { ConsentDecision } from './types.ts';

// Consent, decided the same way wherever an action is about to go out (the engine, the test run).

/** A tenant's consent settings: the categories it asks about and what an action needs by default. */
export interface ConsentSettings {
  categories: readonly string[];
  /** The category an action that names none needs; null: none. */
  defaultCategory: string | null;
}

/** A user's answers per category (lower case); a category never answered is not granted. */
export type ConsentPreferences = Readonly<Record<string, boolean>>;

/** At most this many categories per user are kept (a Segment payload could name any number). */
export const MAX_CONSENT_CATEGORIES = 50;

/**
 * What an action needing `needed` (the node's setting; undefined: the tenant's default) may do for a
 * user with these preferences. null: it needs no consent ("none", or no default). Opt-in: a user who
 * never answered for the category has not consented.
 */
export function decideConsent(
  settings: ConsentSettings,
  preferences: ConsentPreferences | undefined,
  needed: string | undefined,
): ConsentDecision | null {
  const category = needed ?? settings.defaultCategory ?? undefined;
  if (!category || category === 'none') return null;
  return { category, granted: preferences?.[category] === true };
}

/**
 * Segment's consent shape, `context.consent.categoryPreferences: { Marketing: true, … }`, as
 * preferences: names lower-cased, only true/false answers to well-formed names, at most
 * MAX_CONSENT_CATEGORIES. undefined when the message carries no consent.
 */
export function consentFromContext(context: unknown): Record<string, boolean> | undefined {
  if (!context || typeof context !== 'object') return undefined;
  const consent = (context as { consent?: unknown }).consent;
  if (!consent || typeof consent !== 'object') return undefined;
  const prefs = (consent as { categoryPreferences?: unknown }).categoryPreferences;
  if (!prefs || typeof prefs !== 'object' || Array.isArray(prefs)) return undefined;
  const out: Record<string, boolean> = {};
  let n = 0;
  for (const [name, value] of Object.entries(prefs)) {
    const category = name.trim().toLowerCase();
    if (typeof value !== 'boolean' || !CONSENT_CATEGORY.test(category)) continue;
    if (++n > MAX_CONSENT_CATEGORIES) break;
    out[category] = value;
  }
  return n > 0 ? out : undefined;
}
