// Creates the demo tenant on first start and prints its login and API keys. The secrets are shown
// once by design, so they are kept in .data/demo-credentials.json (git-ignored, mode 600) for later starts.
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createDb, type Database, tenants, users, withTenant } from '@tripwire/db';
import { eq, sql } from 'drizzle-orm';
import { hashPassword } from '../auth/password.ts';
import { loadEnv } from '../env.ts';
import { createTenant } from '../services/tenants.ts';

interface DemoCredentials {
  tenantId: string;
  email: string;
  password: string;
  writeKey: string;
  adminKey: string;
  signingSecret: string;
}

const DEMO_EMAIL = 'demo@tripwire.local';

async function tenantExists(db: Database, tenantId: string) {
  const rows = await withTenant(db, tenantId, (tx) => tx.select({ id: tenants.id }).from(tenants));
  return rows.length > 0;
}

async function createDemo(db: Database): Promise<DemoCredentials> {
  const password = randomBytes(12).toString('base64url');
  const passwordHash = await hashPassword(password);
  // A demo user left from a deleted credentials file gets a fresh password.
  const [existing] = await db.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${DEMO_EMAIL}`);
  const userId = existing?.id ?? randomUUID();
  if (existing) await db.update(users).set({ passwordHash }).where(eq(users.id, userId));
  else await db.insert(users).values({ id: userId, email: DEMO_EMAIL, name: 'Demo Owner', passwordHash });
  const tenant = await createTenant(db, { name: 'Demo', ownerUserId: userId });
  return { email: DEMO_EMAIL, password, ...tenant };
}

const env = loadEnv();
const fileArg = process.argv.indexOf('--credentials-file');
const file =
  fileArg > 0 && process.argv[fileArg + 1]
    ? process.argv[fileArg + 1]!
    : new URL('../../../../.data/demo-credentials.json', import.meta.url).pathname;
const { db, close } = createDb({ connectionString: env.DATABASE_URL, max: 1 });

try {
  let creds: DemoCredentials | undefined;
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as DemoCredentials;
    if (await tenantExists(db, saved.tenantId)) creds = saved;
  }
  if (!creds) {
    creds = await createDemo(db);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(creds, null, 2)}\n`, { mode: 0o600 });
  }
  console.log(JSON.stringify(creds));
} finally {
  await close();
}
