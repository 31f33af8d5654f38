// Known devices (OWASP's "device cookies"): a browser that signed in successfully gets a long-lived
// random token; only its SHA-256 is stored, with the user it belongs to. While an account is under
// attack from elsewhere (too many failures from unknown browsers), its owner still signs in from a
// known one. Each device has its own failure limit, so a stolen cookie is no free pass.
import { type Database, knownDevices } from '@tripwire/db';
import { and, eq } from 'drizzle-orm';
import { generateSessionToken, sessionIdOf } from './session.ts';

export const DEVICE_COOKIE = 'tw_device';
const LIFETIME_MS = 365 * 86_400_000;

/** The device's id (the token's hash) when the token is a known device of `userId`. */
export async function knownDeviceOf(
  db: Database,
  token: string | null | undefined,
  userId: string | undefined,
): Promise<string | undefined> {
  if (!token || !userId) return undefined;
  const id = sessionIdOf(token);
  const [row] = await db
    .select({ id: knownDevices.tokenHash })
    .from(knownDevices)
    .where(and(eq(knownDevices.tokenHash, id), eq(knownDevices.userId, userId)));
  return row?.id;
}

/** After a successful sign-in: the browser's token, kept when it is already this user's, else new. */
export async function rememberDevice(db: Database, userId: string, token: string | null | undefined): Promise<string> {
  if (token && (await knownDeviceOf(db, token, userId))) {
    await db
      .update(knownDevices)
      .set({ lastUsedAt: new Date() })
      .where(eq(knownDevices.tokenHash, sessionIdOf(token)));
    return token;
  }
  const fresh = generateSessionToken();
  await db.insert(knownDevices).values({ tokenHash: sessionIdOf(fresh), userId });
  return fresh;
}

export function deviceCookie(token: string, secure: boolean): string {
  const expires = new Date(Date.now() + LIFETIME_MS).toUTCString();
  const parts = [`${DEVICE_COOKIE}=${token}`, 'HttpOnly', 'SameSite=Lax', 'Path=/', `Expires=${expires}`];
  if (secure) parts.push('Secure');
  return parts.join('; ');
}

export function readDeviceToken(cookieHeader: string | undefined | null): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === DEVICE_COOKIE) return rest.join('=') || null;
  }
  return null;
}
