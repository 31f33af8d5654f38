import { TRPCError } from '@trpc/server';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatError } from './init.ts';

const shape = (message: string, code: string) => ({
  message,
  code: -32603,
  data: {
    code,
    httpStatus: 500,
    path: 'workflows.version',
    stack: 'Error: …\n    at secret.ts:1:1' as string | undefined,
  },
});

describe('tRPC error formatting', () => {
  it("never shows a crash's own message or stack to the browser", () => {
    const cause = new DrizzleQueryError('select … where "version" = $1', [3_000_000_000, 'whsec_s3cr3t'], new Error());
    const error = new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: cause.message, cause });
    const formatted = formatError({ shape: shape(cause.message, 'INTERNAL_SERVER_ERROR'), error });
    expect(formatted.message).toBe('Something went wrong on our side');
    expect(formatted.data.stack).toBeUndefined();
    expect(JSON.stringify(formatted)).not.toMatch(/whsec_s3cr3t|select|secret\.ts/);
  });

  it('keeps the messages written for people, and lists field errors', () => {
    const notFound = new TRPCError({ code: 'NOT_FOUND', message: 'No such workflow' });
    expect(formatError({ shape: shape('No such workflow', 'NOT_FOUND'), error: notFound }).message).toBe(
      'No such workflow',
    );
    const zod = z.object({ name: z.string().min(1, 'Name the workflow') }).safeParse({ name: '' }).error;
    const invalid = new TRPCError({ code: 'BAD_REQUEST', cause: zod });
    const formatted = formatError({ shape: shape('…', 'BAD_REQUEST'), error: invalid });
    expect(formatted.message).toBe('Name the workflow');
    expect(formatted.data.fieldErrors).toEqual({ name: 'Name the workflow' });
  });

  it('says what is wrong in the product’s words when a schema has no message of its own', () => {
    const zod = z.object({ tenantId: z.uuid() }).safeParse({}).error;
    const formatted = formatError({
      shape: shape('…', 'BAD_REQUEST'),
      error: new TRPCError({ code: 'BAD_REQUEST', cause: zod }),
    });
    expect(formatted.message).toBe('Enter a tenant id');
    expect(JSON.stringify(formatted)).not.toMatch(/Invalid input|expected|received/);
  });
});
