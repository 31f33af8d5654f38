import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from './client.ts';
import { tenants, workflows, workflowVersions } from './schema/index.ts';
import { withTenant } from './tenant.ts';

const appUrl = process.env.DATABASE_URL as string;
const handle = createDb({ connectionString: appUrl, max: 4 });
const { db } = handle;

// Fresh tenants per run, so the test never depends on (or disturbs) other data in the database.
const tenantA = randomUUID();
const tenantB = randomUUID();
const flowA = randomUUID();
const flowB = randomUUID();
const doc = { name: 'x', nodes: [], edges: [] };

async function seed(tenantId: string, workflowId: string, name: string) {
  await withTenant(db, tenantId, async (tx) => {
    await tx.insert(tenants).values({ id: tenantId, name: `tenant ${name}` });
    await tx.insert(workflows).values({ tenantId, id: workflowId, name, draft: doc });
    await tx.insert(workflowVersions).values({
      tenantId,
      workflowId,
      version: 1,
      document: doc,
      plan: {},
      compilerVersion: 'test',
    });
  });
}

beforeAll(async () => {
  await seed(tenantA, flowA, 'A flow');
  await seed(tenantB, flowB, 'B flow');
});
afterAll(() => handle.close());

/** The database's own message for a failed statement (drizzle wraps it as the error's cause). */
async function failure(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    const e = error as Error & { cause?: Error };
    return e.cause?.message ?? e.message;
  }
  return 'did not fail';
}

const namesAs = (tenantId: string) =>
  withTenant(db, tenantId, async (tx) =>
    (await tx.select({ name: workflows.name }).from(workflows)).map((r) => r.name),
  );

describe('row-level security: code acting as tenant A', () => {
  it('sees only its own rows when a query has no WHERE clause', async () => {
    const rows = await withTenant(db, tenantA, (tx) => tx.select().from(workflows));
    expect(rows.map((r) => r.id)).toEqual([flowA]);
    const versions = await withTenant(db, tenantA, (tx) => tx.select().from(workflowVersions));
    expect(versions.map((v) => v.workflowId)).toEqual([flowA]);
    const visibleTenants = await withTenant(db, tenantA, (tx) => tx.select().from(tenants));
    expect(visibleTenants.map((t) => t.id)).toEqual([tenantA]);
  });

  it('cannot read tenant B even when asking for B by id', async () => {
    const rows = await withTenant(db, tenantA, (tx) => tx.select().from(workflows).where(eq(workflows.id, flowB)));
    expect(rows).toEqual([]);
  });

  it('changes only its own rows with an unscoped UPDATE', async () => {
    const updated = await withTenant(db, tenantA, (tx) =>
      tx.update(workflows).set({ name: 'renamed by A' }).returning({ id: workflows.id }),
    );
    expect(updated.map((r) => r.id)).toEqual([flowA]);
    expect(await namesAs(tenantB)).toEqual(['B flow']);
  });

  it('cannot move its row into tenant B or insert rows for tenant B', async () => {
    expect(
      await failure(
        withTenant(db, tenantA, (tx) => tx.update(workflows).set({ tenantId: tenantB }).where(eq(workflows.id, flowA))),
      ),
    ).toMatch(/row-level security/);
    expect(
      await failure(
        withTenant(db, tenantA, (tx) =>
          tx.insert(workflows).values({ tenantId: tenantB, id: randomUUID(), name: 'planted', draft: doc }),
        ),
      ),
    ).toMatch(/row-level security/);
    expect(await namesAs(tenantB)).toEqual(['B flow']);
  });

  it('deletes only its own rows with an unscoped DELETE', async () => {
    const extra = randomUUID();
    await withTenant(db, tenantA, (tx) =>
      tx.insert(workflows).values({ tenantId: tenantA, id: extra, name: 'tmp', draft: doc }),
    );
    const deleted = await withTenant(db, tenantA, (tx) =>
      tx.delete(workflows).where(eq(workflows.name, 'tmp')).returning({ id: workflows.id }),
    );
    expect(deleted.map((r) => r.id)).toEqual([extra]);
    const deletedAll = await withTenant(db, tenantA, (tx) =>
      failure(tx.execute(sql`delete from workflow_versions where workflow_id = ${flowB}`)),
    );
    // Published versions are immutable for the app role, whatever the tenant.
    expect(deletedAll).toMatch(/permission denied/);
    expect(await namesAs(tenantB)).toEqual(['B flow']);
  });

  it('sees nothing and can write nothing outside withTenant, and the setting does not leak through the pool', async () => {
    await withTenant(db, tenantA, (tx) => tx.select().from(workflows));
    for (let i = 0; i < 4; i++) expect(await db.select().from(workflows)).toEqual([]);
    expect(
      await failure(db.insert(workflows).values({ tenantId: tenantA, id: randomUUID(), name: 'orphan', draft: doc })),
    ).toMatch(/row-level security/);
  });

  it('cannot switch RLS off, change the policies or become another role', async () => {
    const attempts = [
      'alter table workflows disable row level security',
      'drop policy tenant_isolation on workflows',
      'set role postgres',
    ];
    for (const statement of attempts) {
      expect(await failure(withTenant(db, tenantA, (tx) => tx.execute(sql.raw(statement))))).not.toBe('did not fail');
    }
    // With row_security off, Postgres refuses the query instead of silently bypassing RLS.
    expect(
      await failure(
        withTenant(db, tenantA, async (tx) => {
          await tx.execute(sql`set local row_security = off`);
          return tx.select().from(workflows);
        }),
      ),
    ).toMatch(/row-level security/);
  });
});

describe('schema guard', () => {
  const admin = new pg.Client({ connectionString: process.env.DATABASE_ADMIN_URL });
  beforeAll(() => admin.connect());
  afterAll(() => admin.end());

  it('connects the app as a role that is not a superuser and cannot bypass RLS', async () => {
    const { rows } = await withTenant(db, tenantA, (tx) =>
      tx.execute<{ rolsuper: boolean; rolbypassrls: boolean }>(
        sql`select rolsuper, rolbypassrls from pg_roles where rolname = current_user`,
      ),
    );
    expect(rows).toEqual([{ rolsuper: false, rolbypassrls: false }]);
  });

  it('gives every tenant-owned table a NOT NULL tenant_id, forced RLS and a policy', async () => {
    // Partitions of event_history are tables of their own: make today's (as the archiver does, as
    // the app role) so they are checked even on a fresh database.
    await handle.db.execute(sql`select tripwire_history_partitions(current_date, 1)`);
    const { rows } = await admin.query<{
      table: string;
      rls: boolean;
      forced: boolean;
      policies: number;
      notnull: boolean;
    }>(`
      select c.relname as table, c.relrowsecurity as rls, c.relforcerowsecurity as forced,
             (select count(*)::int from pg_policies p where p.tablename = c.relname and p.schemaname = 'public') as policies,
             a.attnotnull as notnull
      from pg_class c
      join pg_namespace n on n.oid = c.relnamespace and n.nspname = 'public'
      join pg_attribute a on a.attrelid = c.oid and a.attname = 'tenant_id'
      where c.relkind = 'r'`);
    expect(rows.length).toBeGreaterThanOrEqual(4);
    for (const row of rows) expect(row, row.table).toMatchObject({ rls: true, forced: true, notnull: true });
    for (const row of rows) expect(row.policies, row.table).toBeGreaterThan(0);
    // Reached by name, a partition refuses the app role: reads and writes go through the parent.
    const day = new Date().toISOString().slice(0, 10).replaceAll('-', '');
    const refused = await handle.db.execute(sql.raw(`select count(*) from event_history_${day}`)).then(
      () => undefined,
      (e: Error & { cause?: Error }) => e.cause?.message ?? e.message,
    );
    expect(refused).toMatch(/permission denied/);
  });

  it('leads every index of a tenant-owned table with tenant_id (lookup-by-secret indexes are the documented exceptions)', async () => {
    const { rows } = await admin.query<{ index: string; first: string }>(`
      select i.relname as index, a.attname as first
      from pg_index x
      join pg_class i on i.oid = x.indexrelid
      join pg_class t on t.oid = x.indrelid
      join pg_namespace n on n.oid = t.relnamespace and n.nspname = 'public'
      left join pg_attribute a on a.attrelid = t.oid and a.attnum = x.indkey[0]
      where exists (select 1 from pg_attribute ta where ta.attrelid = t.oid and ta.attname = 'tenant_id')`);
    // A request carries only an API key or an invitation token: their hashes are how the tenant is found.
    const lookups = ['api_keys_hash_idx', 'invitations_token_idx'];
    const offenders = rows.filter((r) => r.first !== 'tenant_id' && !lookups.includes(r.index));
    expect(offenders).toEqual([]);
  });
});
