import { randomUUID } from 'node:crypto';
import { deleteUserHistory, type TenantTx, userDeletions, userSuppressions } from '@tripwire/db';
import { and, eq, sql } from 'drizzle-orm';
import { userHash } from '../ingest/suppression.ts';

// The right to be forgotten: everything the platform holds about one end user of a workspace goes
// in one transaction (all of it or, on any failure, none of it), the user id is suppressed until
// lifted, and what was done is recorded — who asked, when, how many rows of each kind — without the
// data or the id itself (only its hash, which is what suppression matches).

/** Another store of per-user data, deleted in the same transaction. Returns the rows it removed. */
export interface UserDataStore {
  name: string;
  deleteUser(tx: TenantTx, scope: { tenantId: string; userId: string }): Promise<number>;
}

/**
 * Stores beyond the tables below (which are this module's own), called in the same transaction:
 * the event history behind its store interface (packages/db/src/event-history.ts).
 */
export const EXTRA_USER_DATA_STORES: UserDataStore[] = [
  { name: 'event_history', deleteUser: (tx, s) => deleteUserHistory(tx, s.tenantId, s.userId) },
];

export interface DeletionRecord {
  id: string;
  deletedAt: string;
  requestedBy: string;
  counts: Record<string, number>;
}

const count = async (tx: TenantTx, query: ReturnType<typeof sql>) =>
  Number((await tx.execute<{ n: string | number }>(query)).rows[0]?.n ?? 0);

/**
 * Deletes one end user's data (the caller's tx acts as the tenant). `jobsSchema` is pg-boss's: the
 * user's queued actions and resumes are deleted with the rest, so nothing is sent for them later.
 */
export async function deleteUserData(
  tx: TenantTx,
  {
    tenantId,
    userId,
    requestedBy,
    jobsSchema,
  }: { tenantId: string; userId: string; requestedBy: string; jobsSchema: string },
  stores: readonly UserDataStore[] = EXTRA_USER_DATA_STORES,
): Promise<DeletionRecord> {
  // Serialise deletions of the same user (two admins, a retry) so the counts are honest.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`tripwire.delete-user:${tenantId}:${userId}`}))`);
  const counts: Record<string, number> = {};
  const jobs = sql.identifier(jobsSchema);
  // The user's runs, and the actions they sent (named in each run's path), first: other rows hang off them.
  await tx.execute(sql`
    create temporary table doomed_runs on commit drop as
    select id from runs where tenant_id = ${tenantId}::uuid and user_id = ${userId}`);
  await tx.execute(sql`
    create temporary table doomed_actions on commit drop as
    select distinct a.action_id from runs r
    cross join lateral jsonb_path_query(r.path, '$[*].detail.actionId') as p(v)
    cross join lateral (select p.v #>> '{}' as action_id) a
    where r.tenant_id = ${tenantId}::uuid and r.id in (select id from doomed_runs)`);
  // Queued (and finished, which keep their payload) actions and resumes of those runs, in every queue.
  // No job table yet: no engine has started on this database, so nothing is queued.
  const { rows: table } = await tx.execute<{ t: string | null }>(
    sql`select to_regclass(${`${jobsSchema}.job`})::text as t`,
  );
  counts.jobs = !table[0]?.t
    ? 0
    : await count(
        tx,
        sql`with d as (delete from ${jobs}.job
      where data->>'tenantId' = ${tenantId}
        and (data->>'userId' = ${userId} or data->>'runId' in (select id::text from doomed_runs))
      returning 1) select count(*) as n from d`,
      );
  counts.actionDeliveries = await count(
    tx,
    sql`with d as (delete from action_deliveries where tenant_id = ${tenantId}::uuid
      and run_id in (select id from doomed_runs) returning 1) select count(*) as n from d`,
  );
  counts.actionAttempts = await count(
    tx,
    sql`with d as (delete from action_attempts where tenant_id = ${tenantId}::uuid
      and action_id in (select action_id from doomed_actions) returning 1) select count(*) as n from d`,
  );
  counts.deadLetters = await count(
    tx,
    sql`with d as (delete from dead_letters where tenant_id = ${tenantId}::uuid
      and (run_id in (select id from doomed_runs) or data->>'userId' = ${userId}) returning 1) select count(*) as n from d`,
  );
  counts.waiters = await count(
    tx,
    sql`with d as (delete from waiters where tenant_id = ${tenantId}::uuid and user_id = ${userId} returning 1)
      select count(*) as n from d`,
  );
  counts.runs = await count(
    tx,
    sql`with d as (delete from runs where tenant_id = ${tenantId}::uuid and id in (select id from doomed_runs) returning 1)
      select count(*) as n from d`,
  );
  counts.userMarks = await count(
    tx,
    sql`with d as (delete from user_marks where tenant_id = ${tenantId}::uuid and user_id = ${userId} returning 1)
      select count(*) as n from d`,
  );
  counts.lookupAnswers = await count(
    tx,
    sql`with d as (delete from lookup_cache where tenant_id = ${tenantId}::uuid and user_id = ${userId} returning 1)
      select count(*) as n from d`,
  );
  counts.profiles = await count(
    tx,
    sql`with d as (delete from profiles where tenant_id = ${tenantId}::uuid and user_id = ${userId} returning 1)
      select count(*) as n from d`,
  );
  counts.consent = await count(
    tx,
    sql`with d as (delete from user_consent where tenant_id = ${tenantId}::uuid and user_id = ${userId} returning 1)
      select count(*) as n from d`,
  );
  // The event catalog keeps one sample value per event and property: forget samples of this user's.
  counts.catalogSamples = await count(
    tx,
    sql`with d as (update event_catalog set sample = null where tenant_id = ${tenantId}::uuid
      and strpos(sample::text, ${JSON.stringify(userId)}) > 0 returning 1) select count(*) as n from d`,
  );
  for (const store of stores) counts[store.name] = await store.deleteUser(tx, { tenantId, userId });

  const id = randomUUID();
  const hash = userHash(tenantId, userId);
  const [row] = await tx
    .insert(userDeletions)
    .values({ tenantId, id, userHash: hash, requestedBy, counts })
    .returning({ deletedAt: userDeletions.deletedAt });
  await tx
    .insert(userSuppressions)
    .values({ tenantId, userHash: hash, deletionId: id })
    .onConflictDoUpdate({
      target: [userSuppressions.tenantId, userSuppressions.userHash],
      set: { deletionId: id, createdAt: sql`now()` },
    });
  return { id, deletedAt: (row?.deletedAt ?? new Date()).toISOString(), requestedBy, counts };
}

/** Lets a deleted user's events in again; false when they were not suppressed. */
export async function liftSuppression(tx: TenantTx, tenantId: string, userId: string): Promise<boolean> {
  const rows = await tx
    .delete(userSuppressions)
    .where(and(eq(userSuppressions.tenantId, tenantId), eq(userSuppressions.userHash, userHash(tenantId, userId))))
    .returning({ h: userSuppressions.userHash });
  return rows.length > 0;
}

export async function isSuppressed(tx: TenantTx, tenantId: string, userId: string): Promise<boolean> {
  const rows = await tx
    .select({ h: userSuppressions.userHash })
    .from(userSuppressions)
    .where(and(eq(userSuppressions.tenantId, tenantId), eq(userSuppressions.userHash, userHash(tenantId, userId))));
  return rows.length > 0;
}
