// `npm run db:migrate` / infra:up: create the dev and test databases and the app role, then migrate.
import { z } from 'zod';
import { provision } from './provision.ts';

const Env = z.object({
  DATABASE_URL: z.url().default('postgres://tripwire_app:tripwire_app@127.0.0.1:5432/tripwire'),
  DATABASE_ADMIN_URL: z.url().default('postgres://postgres@127.0.0.1:5432/tripwire'),
  TEST_DATABASE_NAME: z.string().min(1).default('tripwire_test'),
});

const parsed = Env.safeParse(process.env);
if (!parsed.success) {
  console.error(`[db] bad environment:\n${z.prettifyError(parsed.error)}`);
  process.exit(1);
}
const env = parsed.data;
const devDb = new URL(env.DATABASE_URL).pathname.slice(1) || 'tripwire';
const databases = process.argv.includes('--dev-only') ? [devDb] : [devDb, env.TEST_DATABASE_NAME];

try {
  await provision({
    adminUrl: env.DATABASE_ADMIN_URL,
    appUrl: env.DATABASE_URL,
    databases,
    testDatabases: [env.TEST_DATABASE_NAME],
    log: (line) => console.log(`[db] ${line}`),
  });
} catch (error) {
  console.error(`[db] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
