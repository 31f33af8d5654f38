import { type Database, signInFailures } from '@tripwire/db';
import { and, count, desc, eq, gt, lt, sql } from 'drizzle-orm';

export const WINDOW_MS = 15 * 60_000;

/**
 * One limit on attempts within the last 15 minutes. Fixed: beyond `max`, wait until the oldest
 * attempt leaves the window. Back-off: beyond `max`, each further attempt must wait twice as long
 * after the previous one as the one before it (1 s, 2 s, 4 s … up to the window), which slows a
 * guesser without ever locking out for long someone who mistyped.
 */
export interface Limit {
  key: string;
  max: number;
  backoff?: boolean;
}

/**
 * Throttling by attempts kept in Postgres, so every web process agrees. An attempt is recorded
 * *before* it is tried (a password checked) and counted with its own row, so parallel attempts count
 * against each other: of any number sent at once, at most the limit get as far as the check.
 * `wait` is the seconds to wait (0: go ahead; the rows of a refused attempt are removed at once);
 * `release` removes the attempt's rows when it turned out not to count (a successful sign-in).
 */
export async function beginAttempt(db: Database, limits: Limit[]): Promise<{ wait: number; release(): Promise<void> }> {
  const rows = await db
    .insert(signInFailures)
    .values(limits.map((l) => ({ key: l.key })))
    // As text: a JavaScript Date would drop the microseconds that tell this attempt's rows apart.
    .returning({ key: signInFailures.key, at: sql<string>`${signInFailures.at}::text` });
  const release = async () => {
    for (const row of rows) {
      await db
        .delete(signInFailures)
        .where(and(eq(signInFailures.key, row.key), sql`${signInFailures.at} = ${row.at}::timestamptz`));
    }
  };
  let wait = 0;
  for (const limit of limits) wait = Math.max(wait, await waitFor(db, limit));
  if (wait > 0) await release();
  return { wait, release };
}

async function waitFor(db: Database, { key, max, backoff }: Limit): Promise<number> {
  const now = Date.now();
  const inWindow = and(eq(signInFailures.key, key), gt(signInFailures.at, new Date(now - WINDOW_MS)));
  const [row] = await db.select({ n: count() }).from(signInFailures).where(inWindow);
  // The count includes this attempt.
  const n = row?.n ?? 0;
  if (n <= max) return 0;
  // Fixed: from the oldest attempt; back-off: from the previous one (this attempt is the newest).
  const [latest, previous] = await db
    .select({ at: signInFailures.at })
    .from(signInFailures)
    .where(inWindow)
    .orderBy(backoff ? desc(signInFailures.at) : signInFailures.at)
    .limit(2);
  const from = backoff ? previous?.at : latest?.at;
  if (!from) return 0;
  const delay = backoff ? Math.min(WINDOW_MS, 1000 * 2 ** (n - max - 1)) : WINDOW_MS;
  const ms = from.getTime() + delay - now;
  return ms > 0 ? Math.max(1, Math.ceil(ms / 1000)) : 0;
}

/** "8 seconds", "15 minutes": a wait for people. */
export function humanWait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

/** Opportunistic clean-up after a failure keeps the table to the last window. */
export async function forgetOldFailures(db: Database): Promise<void> {
  await db.delete(signInFailures).where(lt(signInFailures.at, new Date(Date.now() - WINDOW_MS)));
}

export async function clearFailures(db: Database, keys: string[]): Promise<void> {
  for (const key of keys) await db.delete(signInFailures).where(eq(signInFailures.key, key));
}
