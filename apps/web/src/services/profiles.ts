import { type Database, profiles, withTenant } from '@tripwire/db';
import { and, eq } from 'drizzle-orm';

export async function getProfile(db: Database, { tenantId, userId }: { tenantId: string; userId: string }) {
  const [row] = await withTenant(db, tenantId, (tx) =>
    tx
      .select({
        userId: profiles.userId,
        traits: profiles.traits,
        createdAt: profiles.createdAt,
        updatedAt: profiles.updatedAt,
      })
      .from(profiles)
      .where(and(eq(profiles.tenantId, tenantId), eq(profiles.userId, userId))),
  );
  return row ?? null;
}
