import { type Database, withTenant, workflowVersionProblems } from '@tripwire/db';
import type { PlanProblem } from '@tripwire/rules';
import { and, eq, sql } from 'drizzle-orm';
import type { Logger } from '../logger.ts';

export interface VersionKey {
  tenantId: string;
  workflowId: string;
  version: number;
}

const id = (k: VersionKey) => `${k.tenantId}:${k.workflowId}@${k.version}`;
const match = (k: VersionKey) =>
  and(
    eq(workflowVersionProblems.tenantId, k.tenantId),
    eq(workflowVersionProblems.workflowId, k.workflowId),
    eq(workflowVersionProblems.version, k.version),
  );

/**
 * Published versions this release refuses to run, recorded for their tenant to see (the workflow
 * list, the editor and the API show the reason). Written off the load path: a broken version must
 * never slow or stop loading the others.
 */
export function createVersionProblems(db: Database, logger: Logger) {
  const known = new Set<string>();
  /** Written by this process: a resync does not rewrite the same row every minute. */
  const written = new Set<string>();
  const pending = new Set<Promise<unknown>>();
  function track(work: Promise<unknown>) {
    const p = work.catch((err: unknown) => logger.warn({ err }, 'could not record a workflow version problem'));
    pending.add(p);
    void p.finally(() => pending.delete(p));
  }
  return {
    /** Loads the keys recorded before (by any engine), so a version that loads now is cleared. */
    async sync() {
      const { rows } = await db.execute<{ tenant_id: string; workflow_id: string; version: number }>(
        sql`select * from tripwire_version_problem_keys()`,
      );
      for (const r of rows) known.add(id({ tenantId: r.tenant_id, workflowId: r.workflow_id, version: r.version }));
    },
    broken(key: VersionKey, problems: PlanProblem[]) {
      if (written.has(id(key))) return;
      logger.warn({ ...key, problems }, 'workflow version cannot run on this release');
      known.add(id(key));
      written.add(id(key));
      track(
        withTenant(db, key.tenantId, (tx) =>
          tx
            .insert(workflowVersionProblems)
            .values({ ...key, problems })
            .onConflictDoUpdate({
              target: [
                workflowVersionProblems.tenantId,
                workflowVersionProblems.workflowId,
                workflowVersionProblems.version,
              ],
              set: { problems, detectedAt: sql`now()` },
            }),
        ),
      );
    },
    loaded(key: VersionKey) {
      written.delete(id(key));
      if (!known.delete(id(key))) return;
      track(withTenant(db, key.tenantId, (tx) => tx.delete(workflowVersionProblems).where(match(key))));
    },
    flush: () => Promise.all([...pending]),
  };
}
