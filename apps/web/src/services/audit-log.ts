import { auditLog, type TenantTx } from '@tripwire/db';
import { and, desc, eq, inArray } from 'drizzle-orm';

/** Who is acting: a signed-in person (the app) or an API key (the /v1 API). */
export type Actor = { kind: 'user'; userId: string; label: string } | { kind: 'api_key'; keyId: string; label: string };

export function userActor(user: { id: string; email: string; name: string | null }): Actor {
  return { kind: 'user', userId: user.id, label: user.name ? `${user.name} <${user.email}>` : user.email };
}

export function keyActor(keyId: string, prefix: string): Actor {
  return { kind: 'api_key', keyId, label: `API key ${prefix}…` };
}

export interface AuditEntry {
  action: string;
  subjectType: string;
  subjectId: string;
  details?: Record<string, unknown>;
}

/** Appends entries in the caller's transaction, so they exist exactly when the change does. */
export async function recordAudit(tx: TenantTx, tenantId: string, actor: Actor, entries: AuditEntry[]) {
  if (entries.length === 0) return;
  await tx.insert(auditLog).values(
    entries.map((e) => ({
      tenantId,
      id: crypto.randomUUID(),
      actorUserId: actor.kind === 'user' ? actor.userId : null,
      actorKeyId: actor.kind === 'api_key' ? actor.keyId : null,
      actorLabel: actor.label,
      action: e.action,
      subjectType: e.subjectType,
      subjectId: e.subjectId,
      details: e.details ?? null,
    })),
  );
}

/** The trail of some subjects, newest first. */
export function auditOf(tx: TenantTx, tenantId: string, subjectType: string, subjectIds: string[], limit = 200) {
  if (subjectIds.length === 0) return Promise.resolve([]);
  return tx
    .select({
      at: auditLog.at,
      actor: auditLog.actorLabel,
      action: auditLog.action,
      subjectId: auditLog.subjectId,
      details: auditLog.details,
    })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.tenantId, tenantId),
        eq(auditLog.subjectType, subjectType),
        inArray(auditLog.subjectId, subjectIds),
      ),
    )
    .orderBy(desc(auditLog.at))
    .limit(limit);
}

/** The latest entries of one kind of subject, for a page's activity list. */
export function recentAudit(tx: TenantTx, tenantId: string, subjectType: string, limit = 20) {
  return tx
    .select({
      at: auditLog.at,
      actor: auditLog.actorLabel,
      action: auditLog.action,
      subjectId: auditLog.subjectId,
      details: auditLog.details,
    })
    .from(auditLog)
    .where(and(eq(auditLog.tenantId, tenantId), eq(auditLog.subjectType, subjectType)))
    .orderBy(desc(auditLog.at))
    .limit(limit);
}
