import { type Database, memberships, withTenant } from '@tripwire/db';
import { and, eq, sql } from 'drizzle-orm';
import type { Role } from '../services/members.ts';

export async function roleIn(db: Database, userId: string, tenantId: string): Promise<Role | null> {
  const [row] = await withTenant(db, tenantId, (tx) =>
    tx
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId))),
  );
  return row?.role ?? null;
}

export interface MyTenant {
  tenantId: string;
  name: string;
  role: Role;
}

export async function myTenants(db: Database, userId: string): Promise<MyTenant[]> {
  const { rows } = await db.execute<{ tenant_id: string; name: string; role: Role }>(
    sql`select * from tripwire_user_tenants(${userId}::uuid)`,
  );
  return rows.map((r) => ({ tenantId: r.tenant_id, name: r.name, role: r.role }));
}
