import { type Database, signInFailures } from '@tripwire/db';
import { and, count, eq, gt, lt, min, sql } from 'drizzle-orm';

export const WINDOW_MS = 15 * 60_000;
export const MAX_PER_ACCOUNT = 5;
export const MAX_PER_IP = 20;

/**
 * Sign-in throttling by failures in the last 15 minutes, per account and per client address,
 * kept in Postgres so every web process agrees.
 *
 * An attempt is recorded *before* the password is checked and counted with its own row, so
 * parallel guesses count against each other: of any number sent at once, at most the limit get
 * as far as the (slow, scrypt) check. `wait` is the seconds to wait (0: go ahead); `release`
 * removes the attempt's rows when it turned out not to be a failure (it succeeded, or it was
 * refused before being tried).
 */
export async function beginAttempt(
  db: Database,
  keys: { account: string; ip: string },
  maxPerIp = MAX_PER_IP,
): Promise<{ wait: number; release(): Promise<void> }> {
  const rows = await db
    .insert(signInFailures)
    .values([{ key: `account:${keys.account}` }, { key: `ip:${keys.ip}` }])
    // As text: a JavaScript Date would drop the microseconds that tell this attempt's rows apart.
    .returning({ key: signInFailures.key, at: sql<string>`${signInFailures.at}::text` });
  const release = async () => {
    for (const row of rows) {
      await db
        .delete(signInFailures)
        .where(and(eq(signInFailures.key, row.key), sql`${signInFailures.at} = ${row.at}::timestamptz`));
    }
  };
  const since = new Date(Date.now() - WINDOW_MS);
  const check = async (key: string, max: number) => {
    const [row] = await db
      .select({ n: count(), first: min(signInFailures.at) })
      .from(signInFailures)
      .where(and(eq(signInFailures.key, key), gt(signInFailures.at, since)));
    // The count includes this attempt.
    if (!row || row.n <= max || !row.first) return 0;
    return Math.max(1, Math.ceil((new Date(row.first).getTime() + WINDOW_MS - Date.now()) / 1000));
  };
  const wait = Math.max(
    await check(`account:${keys.account}`, MAX_PER_ACCOUNT),
    await check(`ip:${keys.ip}`, maxPerIp),
  );
  if (wait > 0) await release();
  return { wait, release };
}

/** Opportunistic clean-up after a failure keeps the table to the last window. */
export async function forgetOldFailures(db: Database): Promise<void> {
  await db.delete(signInFailures).where(lt(signInFailures.at, new Date(Date.now() - WINDOW_MS)));
}

export async function clearFailures(db: Database, account: string): Promise<void> {
  await db.delete(signInFailures).where(eq(signInFailures.key, `account:${account}`));
}
