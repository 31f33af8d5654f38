import { DrizzleQueryError } from 'drizzle-orm/errors';

/**
 * An error as it may be logged: a failed query keeps its SQL and its cause (Postgres's code and
 * message) but loses the bound values, which drizzle writes into the message and a `params`
 * field. Those are user data, and for some statements secrets (a new signing secret, a password
 * hash). Anything else is returned as it is.
 */
/** What a DrizzleQueryError becomes in logs and messages; `type` in pino's output. */
export class FailedQuery extends Error {
  override name = 'FailedQuery';
}

export function withoutQueryValues(error: unknown): unknown {
  if (!(error instanceof DrizzleQueryError)) return error;
  const safe = new FailedQuery(`Failed query: ${error.query}`, { cause: error.cause });
  // The original stack starts with the message (values included, over several lines): keep the frames.
  const frames = (error.stack ?? '').split('\n').filter((line) => line.startsWith('    at '));
  safe.stack = [`${safe.name}: ${safe.message}`, ...frames].join('\n');
  return safe;
}
