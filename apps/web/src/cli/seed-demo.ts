// Creates the demo tenant on first start and prints its login and API keys. The secrets are shown
// once by design, so they are kept in .data/demo-credentials.json (git-ignored, mode 600) for later starts.
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createDb, memberships, tenants, users, withTenant } from '@tripwire/db';
import { eq, sql } from 'drizzle-orm';
import { loadEnv } from '../env.ts';
import { createApiKey } from '../auth/api-keys.ts';
import { hashPassword } from '../auth/password.ts';

interface DemoCredentials {
  tenantId: string;
  email: string;
  password: string;
  writeKey: string;
  adminKey: string;
}

const env = loadEnv();
const fileArg = process.argv.indexOf('--credentials-file');
const file =
  fileArg > 0 && process.argv[fileArg + 1]
    ? process.argv[fileArg + 1]!
    : new URL('../../../../.data/demo-credentials.json', import.meta.url).pathname;
const { db, close } = createDb({ connectionString: env.DATABASE_URL, max: 1 });

async function tenantExists(tenantId: string) {
  const rows = await withTenant(db, tenantId, (tx) => tx.select({ id: tenants.id }).from(tenants));
  return rows.length > 0;
}

async function createDemo(): Promise<DemoCredentials> {
  const tenantId = randomUUID();
  const email = 'demo@tripwire.local';
  const password = randomBytes(12).toString('base64url');
  const passwordHash = await hashPassword(password);
  return withTenant(db, tenantId, async (tx) => {
    // A leftover demo user from a wiped credentials file gets a fresh password.
    const [existing] = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${email}`);
    const user = existing ?? { id: randomUUID() };
    if (existing) await tx.update(users).set({ passwordHash }).where(eq(users.id, existing.id));
    else await tx.insert(users).values({ id: user.id, email, name: 'Demo Owner', passwordHash });
    await tx.insert(tenants).values({ id: tenantId, name: 'Demo' });
    await tx.insert(memberships).values({ tenantId, userId: user.id, role: 'owner' });
    const write = await createApiKey(tx, { tenantId, name: 'Demo write key', scope: 'ingest', createdBy: user.id });
    const admin = await createApiKey(tx, { tenantId, name: 'Demo admin key', scope: 'admin', createdBy: user.id });
    return { tenantId, email, password, writeKey: write.key, adminKey: admin.key };
  });
}

try {
  let creds: DemoCredentials | undefined;
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as DemoCredentials;
    if (await tenantExists(saved.tenantId)) creds = saved;
  }
  if (!creds) {
    creds = await createDemo();
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(creds, null, 2)}\n`, { mode: 0o600 });
  }
  console.log(JSON.stringify(creds));
} finally {
  await close();
}
