import { type Database, signInFailures } from '@tripwire/db';
import { and, count, eq, gt, lt, min } from 'drizzle-orm';

export const WINDOW_MS = 15 * 60_000;
export const MAX_PER_ACCOUNT = 5;
export const MAX_PER_IP = 20;

/**
 * Sign-in throttling by failures in the last 15 minutes, per account and per client address,
 * kept in Postgres so every web process agrees. Returns the seconds to wait, or 0.
 */
export async function throttledFor(
  db: Database,
  keys: { account: string; ip: string },
  maxPerIp = MAX_PER_IP,
): Promise<number> {
  const since = new Date(Date.now() - WINDOW_MS);
  const check = async (key: string, max: number) => {
    const [row] = await db
      .select({ n: count(), first: min(signInFailures.at) })
      .from(signInFailures)
      .where(and(eq(signInFailures.key, key), gt(signInFailures.at, since)));
    if (!row || row.n < max || !row.first) return 0;
    return Math.max(1, Math.ceil((new Date(row.first).getTime() + WINDOW_MS - Date.now()) / 1000));
  };
  return Math.max(await check(`account:${keys.account}`, MAX_PER_ACCOUNT), await check(`ip:${keys.ip}`, maxPerIp));
}

export async function recordFailure(db: Database, keys: { account: string; ip: string }): Promise<void> {
  await db.insert(signInFailures).values([{ key: `account:${keys.account}` }, { key: `ip:${keys.ip}` }]);
  // Opportunistic clean-up keeps the table to the last window.
  await db.delete(signInFailures).where(lt(signInFailures.at, new Date(Date.now() - WINDOW_MS)));
}

export async function clearFailures(db: Database, account: string): Promise<void> {
  await db.delete(signInFailures).where(eq(signInFailures.key, `account:${account}`));
}
