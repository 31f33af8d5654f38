import { randomUUID } from 'node:crypto';
import { type Database, users } from '@tripwire/db';
import { eq, sql } from 'drizzle-orm';
import { hashPassword, verifyPassword } from '../auth/password.ts';
import { invalidateUserSessions } from '../auth/session.ts';
import { beginAttempt, clearFailures, forgetOldFailures } from '../auth/throttle.ts';
import { createTenant } from './tenants.ts';

export class AccountError extends Error {
  readonly code: 'email_taken' | 'invalid_credentials' | 'throttled' | 'wrong_password';
  readonly retryAfterSeconds?: number;
  constructor(code: AccountError['code'], message: string, retryAfterSeconds?: number) {
    super(message);
    this.code = code;
    if (retryAfterSeconds !== undefined) this.retryAfterSeconds = retryAfterSeconds;
  }
}

const byEmail = (email: string) => sql`lower(${users.email}) = ${email.trim().toLowerCase()}`;

/** A new user who owns a new tenant. */
export async function signUp(
  db: Database,
  input: { email: string; password: string; name: string; workspace: string },
) {
  const [existing] = await db.select({ id: users.id }).from(users).where(byEmail(input.email));
  if (existing) throw new AccountError('email_taken', 'An account with this email already exists; sign in instead');
  const userId = randomUUID();
  await db.insert(users).values({
    id: userId,
    email: input.email.trim(),
    name: input.name.trim() || null,
    passwordHash: await hashPassword(input.password),
  });
  const tenant = await createTenant(db, { name: input.workspace.trim(), ownerUserId: userId });
  return { userId, tenantId: tenant.tenantId };
}

/** Checks email and password, throttled per account and per client address. */
export async function authenticate(
  db: Database,
  input: { email: string; password: string; ip: string; maxFailuresPerIp?: number },
) {
  const account = input.email.trim().toLowerCase();
  const attempt = await beginAttempt(db, { account, ip: input.ip }, input.maxFailuresPerIp);
  const wait = attempt.wait;
  if (wait > 0) {
    const minutes = Math.ceil(wait / 60);
    throw new AccountError(
      'throttled',
      `Too many failed attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
      wait,
    );
  }
  const [user] = await db
    .select({ id: users.id, passwordHash: users.passwordHash })
    .from(users)
    .where(byEmail(account));
  // Same answer and similar time for an unknown email and a wrong password.
  const ok = user
    ? await verifyPassword(input.password, user.passwordHash)
    : await verifyPassword(input.password, DUMMY_HASH);
  if (!user || !ok) {
    await forgetOldFailures(db);
    throw new AccountError('invalid_credentials', 'Wrong email or password');
  }
  await attempt.release();
  await clearFailures(db, account);
  return { userId: user.id };
}

// A real scrypt hash of a random string, so unknown emails cost as much as known ones.
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$3bXW3k8cZoVv0cxYy0mQ5cZ8kT1Xj1xGJ9xVQy8m7Wk';

/** Changes the password and signs the user out everywhere (the caller starts a fresh session). */
export async function changePassword(db: Database, input: { userId: string; current: string; next: string }) {
  const [user] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, input.userId));
  if (!user || !(await verifyPassword(input.current, user.passwordHash))) {
    throw new AccountError('wrong_password', 'Your current password is not right');
  }
  await db
    .update(users)
    .set({ passwordHash: await hashPassword(input.next) })
    .where(eq(users.id, input.userId));
  await invalidateUserSessions(db, input.userId);
}
