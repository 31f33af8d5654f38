/** The SQLSTATE of a Postgres error, also when drizzle wrapped it (DrizzleQueryError's cause). */
export function sqlState(error: unknown): string | undefined {
  const e = error as { code?: unknown; cause?: { code?: unknown } } | undefined;
  const code = e?.code ?? e?.cause?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** A failure of Postgres itself (SQLSTATE code): it aborts the unit of work, not just one run. */
export function isDatabaseError(error: unknown): boolean {
  return sqlState(error) !== undefined;
}
