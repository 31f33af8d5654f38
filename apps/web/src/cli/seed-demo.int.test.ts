import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { apiKeys, createDb, memberships, tenants, users, withTenant } from '@tripwire/db';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { hashApiKey } from '../auth/api-keys.ts';
import { verifyPassword } from '../auth/password.ts';

const run = promisify(execFile);
const { db, close } = createDb({ connectionString: process.env.DATABASE_URL as string, max: 2 });
afterAll(() => close());

async function seed(file: string) {
  const { stdout } = await run(process.execPath, ['src/cli/seed-demo.ts', '--credentials-file', file], {
    cwd: new URL('../..', import.meta.url).pathname,
    env: process.env,
  });
  return JSON.parse(stdout) as {
    tenantId: string;
    email: string;
    password: string;
    writeKey: string;
    adminKey: string;
  };
}

describe('demo tenant seed (npm start)', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'tripwire-seed-')), 'creds.json');

  it('creates a tenant with an owner who can sign in and working write and admin keys', async () => {
    const creds = await seed(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(creds);

    const [user] = await db.select().from(users).where(eq(users.email, creds.email));
    expect(user && (await verifyPassword(creds.password, user.passwordHash))).toBe(true);

    const rows = await withTenant(db, creds.tenantId, async (tx) => ({
      tenant: await tx.select().from(tenants),
      members: await tx.select().from(memberships),
      keys: await tx.select().from(apiKeys),
    }));
    expect(rows.tenant.map((t) => t.name)).toEqual(['Demo']);
    expect(rows.members).toEqual([expect.objectContaining({ userId: user?.id, role: 'owner' })]);
    const byScope = Object.fromEntries(rows.keys.map((k) => [k.scope, k]));
    expect(byScope.ingest?.hash).toBe(hashApiKey(creds.writeKey));
    expect(byScope.admin?.hash).toBe(hashApiKey(creds.adminKey));
    expect(byScope.ingest?.prefix).toBe(creds.writeKey.slice(0, 12));
  });

  it('reuses the same tenant and keys on the next start', async () => {
    const first = JSON.parse(readFileSync(file, 'utf8'));
    expect(await seed(file)).toEqual(first);
  });
});
