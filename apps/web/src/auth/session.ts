// Sessions as Lucia's guide describes them, on @oslojs: a random token in the cookie, only its
// SHA-256 in Postgres, sliding expiry. Invalidated on sign-out and on password change.
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { type Database, sessions, users } from '@tripwire/db';
import { eq } from 'drizzle-orm';

export const SESSION_COOKIE = 'tw_session';
const DAY = 86_400_000;
const LIFETIME = 30 * DAY;
/** Renew when less than this is left, so an active user is never logged out mid-work. */
const RENEW_BELOW = 15 * DAY;

export interface SessionUser {
  id: string;
  email: string;
  name: string | null;
}

export interface Session {
  id: string;
  userId: string;
  currentTenantId: string | null;
  expiresAt: Date;
}

export function generateSessionToken(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

export function sessionIdOf(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export async function createSession(
  db: Database,
  token: string,
  userId: string,
  currentTenantId: string | null,
): Promise<Session> {
  const session = { id: sessionIdOf(token), userId, currentTenantId, expiresAt: new Date(Date.now() + LIFETIME) };
  await db.insert(sessions).values(session);
  return session;
}

/** The session and its user, or null when unknown or expired; renews the expiry when due. */
export async function validateSessionToken(
  db: Database,
  token: string,
): Promise<{ session: Session; user: SessionUser } | null> {
  const id = sessionIdOf(token);
  const [row] = await db
    .select({
      id: sessions.id,
      userId: sessions.userId,
      currentTenantId: sessions.currentTenantId,
      expiresAt: sessions.expiresAt,
      email: users.email,
      name: users.name,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, id));
  if (!row) return null;
  if (row.expiresAt.getTime() <= Date.now()) {
    await db.delete(sessions).where(eq(sessions.id, id));
    return null;
  }
  let expiresAt = row.expiresAt;
  if (expiresAt.getTime() - Date.now() < RENEW_BELOW) {
    expiresAt = new Date(Date.now() + LIFETIME);
    await db.update(sessions).set({ expiresAt }).where(eq(sessions.id, id));
  }
  return {
    session: { id, userId: row.userId, currentTenantId: row.currentTenantId, expiresAt },
    user: { id: row.userId, email: row.email, name: row.name },
  };
}

export async function invalidateSession(db: Database, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

export async function invalidateUserSessions(db: Database, userId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.userId, userId));
}

export async function setCurrentTenant(db: Database, sessionId: string, tenantId: string): Promise<void> {
  await db.update(sessions).set({ currentTenantId: tenantId }).where(eq(sessions.id, sessionId));
}

export function sessionCookie(token: string, expiresAt: Date, secure: boolean): string {
  const parts = [
    `${SESSION_COOKIE}=${token}`,
    'HttpOnly',
    'SameSite=Lax',
    'Path=/',
    `Expires=${expiresAt.toUTCString()}`,
  ];
  if (secure) parts.push('Secure');
  return parts.join('; ');
}

export function clearSessionCookie(secure: boolean): string {
  return [`${SESSION_COOKIE}=`, 'HttpOnly', 'SameSite=Lax', 'Path=/', 'Max-Age=0', ...(secure ? ['Secure'] : [])].join(
    '; ',
  );
}

export function readSessionToken(cookieHeader: string | undefined | null): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === SESSION_COOKIE) return rest.join('=') || null;
  }
  return null;
}
