import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { type Database, invitations, memberships, type TenantTx, users, withTenant } from '@tripwire/db';
import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';

export type Role = 'owner' | 'admin' | 'editor' | 'viewer';
export const ROLE_RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2, owner: 3 };
const INVITE_LIFETIME_MS = 7 * 86_400_000;

export class MemberError extends Error {
  readonly code: 'last_owner' | 'not_found' | 'invite_invalid';
  constructor(code: MemberError['code'], message: string) {
    super(message);
    this.code = code;
  }
}

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

export function listMembers(tx: TenantTx, tenantId: string) {
  return tx
    .select({
      userId: memberships.userId,
      role: memberships.role,
      email: users.email,
      name: users.name,
      since: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.tenantId, tenantId))
    .orderBy(asc(users.email));
}

async function ownerCount(tx: TenantTx, tenantId: string) {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(memberships)
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.role, 'owner')));
  return row?.n ?? 0;
}

async function roleOf(tx: TenantTx, tenantId: string, userId: string): Promise<Role | null> {
  const [row] = await tx
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)))
    .for('update');
  return row?.role ?? null;
}

export async function changeRole(tx: TenantTx, tenantId: string, userId: string, role: Role) {
  const current = await roleOf(tx, tenantId, userId);
  if (!current) throw new MemberError('not_found', 'This person is not a member');
  if (current === 'owner' && role !== 'owner' && (await ownerCount(tx, tenantId)) <= 1) {
    throw new MemberError('last_owner', 'A workspace needs at least one owner; make someone else owner first');
  }
  await tx
    .update(memberships)
    .set({ role })
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)));
}

export async function removeMember(tx: TenantTx, tenantId: string, userId: string) {
  const current = await roleOf(tx, tenantId, userId);
  if (!current) throw new MemberError('not_found', 'This person is not a member');
  if (current === 'owner' && (await ownerCount(tx, tenantId)) <= 1) {
    throw new MemberError('last_owner', 'The last owner cannot leave; make someone else owner first');
  }
  await tx.delete(memberships).where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)));
}

/** A link to join with `role`; the token is in the link only, its hash in the table. */
export async function createInvitation(tx: TenantTx, input: { tenantId: string; role: Role; createdBy: string }) {
  const token = randomBytes(24).toString('base64url');
  const row = {
    tenantId: input.tenantId,
    id: randomUUID(),
    tokenHash: tokenHash(token),
    role: input.role,
    createdBy: input.createdBy,
    expiresAt: new Date(Date.now() + INVITE_LIFETIME_MS),
  };
  await tx.insert(invitations).values(row);
  return { id: row.id, token, role: row.role, expiresAt: row.expiresAt };
}

export function listInvitations(tx: TenantTx, tenantId: string) {
  return tx
    .select({
      id: invitations.id,
      role: invitations.role,
      createdAt: invitations.createdAt,
      expiresAt: invitations.expiresAt,
    })
    .from(invitations)
    .where(
      and(
        eq(invitations.tenantId, tenantId),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        sql`${invitations.expiresAt} > now()`,
      ),
    )
    .orderBy(desc(invitations.createdAt));
}

/** False when this tenant has no such invitation (another tenant's id included). */
export async function revokeInvitation(tx: TenantTx, tenantId: string, id: string): Promise<boolean> {
  const rows = await tx
    .update(invitations)
    .set({ revokedAt: new Date() })
    .where(and(eq(invitations.tenantId, tenantId), eq(invitations.id, id)))
    .returning({ id: invitations.id });
  return rows.length > 0;
}

interface FoundInvitation {
  tenant_id: string;
  tenant_name: string;
  id: string;
  role: Role;
  expires_at: Date;
  accepted_at: Date | null;
  revoked_at: Date | null;
  [key: string]: unknown;
}

export async function findInvitation(db: Database, token: string) {
  const { rows } = await db.execute<FoundInvitation>(sql`select * from tripwire_find_invitation(${tokenHash(token)})`);
  const row = rows[0];
  if (!row) return null;
  const usable = !row.accepted_at && !row.revoked_at && new Date(row.expires_at).getTime() > Date.now();
  return { tenantId: row.tenant_id, tenantName: row.tenant_name, id: row.id, role: row.role, usable };
}

/** Joins the invitation's tenant (keeping a higher role if already a member). */
export async function acceptInvitation(db: Database, token: string, userId: string) {
  const found = await findInvitation(db, token);
  if (!found?.usable) throw new MemberError('invite_invalid', 'This invitation link has expired or was already used');
  return withTenant(db, found.tenantId, async (tx) => {
    const claimed = await tx
      .update(invitations)
      .set({ acceptedAt: new Date(), acceptedBy: userId })
      .where(
        and(
          eq(invitations.tenantId, found.tenantId),
          eq(invitations.id, found.id),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
        ),
      )
      .returning({ id: invitations.id });
    if (claimed.length === 0)
      throw new MemberError('invite_invalid', 'This invitation link has expired or was already used');
    const current = await roleOf(tx, found.tenantId, userId);
    if (!current) await tx.insert(memberships).values({ tenantId: found.tenantId, userId, role: found.role });
    else if (ROLE_RANK[found.role] > ROLE_RANK[current]) await changeRole(tx, found.tenantId, userId, found.role);
    return { tenantId: found.tenantId };
  });
}
