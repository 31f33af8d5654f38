import { randomUUID } from 'node:crypto';
import { type Database, users } from '@tripwire/db';
import { eq, sql } from 'drizzle-orm';
import { knownDeviceOf, rememberDevice } from '../auth/devices.ts';
import { hashPassword, verifyPassword } from '../auth/password.ts';
import { invalidateUserSessions } from '../auth/session.ts';
import { beginAttempt, clearFailures, forgetOldFailures, humanWait, type Limit } from '../auth/throttle.ts';
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

/**
 * Limits within 15 minutes (OWASP ASVS V2.2): failed sign-ins slow the guesser, not the owner.
 * From a browser the account does not know: back-off per account and address after 3 failures,
 * at most 10 failures per account from all such browsers, at most `maxFailuresPerIp` per address
 * over all accounts. From a known device of the account (devices.ts): 5 failures per device; the
 * account's other limits do not apply to it, so an attack from elsewhere never locks its owner out.
 */
export const SIGN_IN_LIMITS = { pair: 3, untrustedPerAccount: 10, perDevice: 5 };
/** Sign-ups per client address, and wrong current passwords per user at a password change. */
export const SIGN_UP_LIMIT = 10;
export const PASSWORD_CHANGE_LIMIT = 5;

function throttled(wait: number): AccountError {
  return new AccountError('throttled', `Too many attempts. Try again in ${humanWait(wait)}.`, wait);
}

/** A new user who owns a new tenant; at most SIGN_UP_LIMIT per client address in 15 minutes. */
export async function signUp(
  db: Database,
  input: { email: string; password: string; name: string; workspace: string; ip: string; maxPerIp?: number },
) {
  const attempt = await beginAttempt(db, [{ key: `signup:${input.ip}`, max: input.maxPerIp ?? SIGN_UP_LIMIT }]);
  if (attempt.wait > 0) throw throttled(attempt.wait);
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

/**
 * Checks email and password within SIGN_IN_LIMITS. Returns the browser's device token to set (kept
 * or new): a successful sign-in makes the browser a known device of the account.
 */
export async function authenticate(
  db: Database,
  input: { email: string; password: string; ip: string; deviceToken?: string | null; maxFailuresPerIp?: number },
) {
  const account = input.email.trim().toLowerCase();
  const [user] = await db
    .select({ id: users.id, passwordHash: users.passwordHash })
    .from(users)
    .where(byEmail(account));
  const device = await knownDeviceOf(db, input.deviceToken, user?.id);
  const limits: Limit[] = device
    ? [{ key: `device:${device}`, max: SIGN_IN_LIMITS.perDevice }]
    : [
        { key: `account:${account}`, max: SIGN_IN_LIMITS.untrustedPerAccount },
        { key: `pair:${account}:${input.ip}`, max: SIGN_IN_LIMITS.pair, backoff: true },
        { key: `ip:${input.ip}`, max: input.maxFailuresPerIp ?? 20 },
      ];
  const attempt = await beginAttempt(db, limits);
  if (attempt.wait > 0) {
    throw new AccountError(
      'throttled',
      `Too many failed attempts. Try again in ${humanWait(attempt.wait)}.`,
      attempt.wait,
    );
  }
  // Same answer and similar time for an unknown email and a wrong password.
  const ok = user
    ? await verifyPassword(input.password, user.passwordHash)
    : await verifyPassword(input.password, DUMMY_HASH);
  if (!user || !ok) {
    await forgetOldFailures(db);
    throw new AccountError('invalid_credentials', 'Wrong email or password');
  }
  await attempt.release();
  // The owner is in: their own address and device start afresh. The account-wide count of failures
  // from unknown browsers stays, so an attack in progress stays slowed.
  await clearFailures(db, [`pair:${account}:${input.ip}`, ...(device ? [`device:${device}`] : [])]);
  return { userId: user.id, deviceToken: await rememberDevice(db, user.id, input.deviceToken) };
}

// A real scrypt hash of a random string, so unknown emails cost as much as known ones.
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$3bXW3k8cZoVv0cxYy0mQ5cZ8kT1Xj1xGJ9xVQy8m7Wk';

/** Changes the password and signs the user out everywhere (the caller starts a fresh session). */
export async function changePassword(db: Database, input: { userId: string; current: string; next: string }) {
  // A stolen session must not become a way to guess the password: wrong guesses are limited too.
  const attempt = await beginAttempt(db, [{ key: `password:${input.userId}`, max: PASSWORD_CHANGE_LIMIT }]);
  if (attempt.wait > 0) throw throttled(attempt.wait);
  const [user] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, input.userId));
  if (!user || !(await verifyPassword(input.current, user.passwordHash))) {
    throw new AccountError('wrong_password', 'Your current password is not right');
  }
  await attempt.release();
  await db
    .update(users)
    .set({ passwordHash: await hashPassword(input.next) })
    .where(eq(users.id, input.userId));
  await invalidateUserSessions(db, input.userId);
}
