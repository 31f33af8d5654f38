import { DrizzleQueryError } from 'drizzle-orm/errors';
import { describe, expect, it } from 'vitest';
import { FailedQuery, withoutQueryValues } from './query-error.ts';

describe('withoutQueryValues', () => {
  it('keeps the SQL and the cause of a failed query, not the bound values', () => {
    const cause = Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' });
    const failed = new DrizzleQueryError(
      'insert into "signing_secrets" ("secret") values ($1)',
      ['whsec_s3cr3t'],
      cause,
    );
    expect(failed.message).toContain('whsec_s3cr3t');

    const safe = withoutQueryValues(failed) as Error;
    expect(safe).toBeInstanceOf(FailedQuery);
    expect(safe.message).toBe('Failed query: insert into "signing_secrets" ("secret") values ($1)');
    expect(safe.cause).toBe(cause);
    expect(JSON.stringify({ ...safe, message: safe.message, stack: safe.stack })).not.toContain('whsec_s3cr3t');
  });

  it('returns any other error unchanged', () => {
    const error = new TypeError('x');
    expect(withoutQueryValues(error)).toBe(error);
    expect(withoutQueryValues('text')).toBe('text');
  });
});
