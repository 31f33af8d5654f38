import { DrizzleQueryError } from 'drizzle-orm/errors';
import { describe, expect, it } from 'vitest';
import { isBatchFatal } from './batch-processor.ts';

const pg = (code: string) => Object.assign(new Error(`postgres ${code}`), { code });

describe('which failures abort a whole batch', () => {
  it.each([
    ['22P02', 'invalid input syntax'],
    ['23505', 'unique violation'],
    ['42501', 'insufficient privilege'],
    ['54001', 'stack depth of a deeply nested value'],
    ['54000', 'index row too large'],
  ])('blames the event for SQLSTATE %s (%s): it is dead-lettered, the partition moves on', (code) => {
    expect(isBatchFatal(pg(code))).toBe(false);
    expect(isBatchFatal(new DrizzleQueryError('insert …', [], pg(code)))).toBe(false);
  });

  it.each(['57P01', '08006', '40001', '53300'])('aborts and redelivers the batch for SQLSTATE %s', (code) => {
    expect(isBatchFatal(new DrizzleQueryError('insert …', [], pg(code)))).toBe(true);
  });

  it('leaves errors that are not from Postgres to the event', () => {
    expect(isBatchFatal(new RangeError('Maximum call stack size exceeded'))).toBe(false);
  });
});
