import { type TenantTx, withTenant } from '@tripwire/db';
import { findTextIssue, plainErrorMap, textIssueMessage } from '@tripwire/rules';
import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import { ZodError, z } from 'zod';
import { AccountError } from '../services/accounts.ts';
import { MemberError, ROLE_RANK, type Role } from '../services/members.ts';
import { QuotaExceeded } from '../services/workflow-quota.ts';
import type { Context } from './context.ts';
import { roleIn } from './tenant-access.ts';

// Every schema without a message of its own speaks the product's words, not zod's.
z.config({ customError: plainErrorMap });

/** The one place errors become what the UI shows: a readable message, and field errors for forms. */
export function formatError<S extends { message: string; data: object }>({
  shape,
  error,
}: {
  shape: S;
  error: TRPCError;
}) {
  const zod = error.cause instanceof ZodError ? error.cause : null;
  // A crash's own message (a failed query's SQL and values, a stack frame) is for the logs only.
  const internal = error.code === 'INTERNAL_SERVER_ERROR';
  return {
    ...shape,
    // The first problem itself, so a form without that field still says what is wrong.
    message: zod
      ? (zod.issues[0]?.message ?? 'Check what you entered')
      : internal
        ? 'Something went wrong on our side'
        : shape.message,
    data: {
      ...shape.data,
      stack: undefined,
      fieldErrors: zod ? Object.fromEntries(zod.issues.map((i) => [i.path.join('.'), i.message])) : undefined,
    },
  };
}

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter: formatError,
});

/** Expected failures of the services become 4xx with their own message; anything else stays a 500. */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    if (cause instanceof AccountError) {
      throw new TRPCError({
        code:
          cause.code === 'throttled' ? 'TOO_MANY_REQUESTS' : cause.code === 'email_taken' ? 'CONFLICT' : 'UNAUTHORIZED',
        message: cause.message,
      });
    }
    if (cause instanceof QuotaExceeded) throw new TRPCError({ code: 'FORBIDDEN', message: cause.message });
    if (cause instanceof MemberError) {
      throw new TRPCError({ code: cause.code === 'not_found' ? 'NOT_FOUND' : 'BAD_REQUEST', message: cause.message });
    }
  }
  return result;
});

/**
 * The shared text policy (@tripwire/rules wire/text-policy.ts) for every procedure's input, before
 * its own schema: a string or key with a NUL or an unpaired surrogate is a field error, never a
 * query Postgres refuses.
 */
const storableInput = t.middleware(async ({ getRawInput, next }) => {
  const issue = findTextIssue(await getRawInput());
  if (issue) {
    // A ZodError as the cause, like an input schema's: the formatter turns it into a field error.
    const cause = z
      .unknown()
      .superRefine((_, ctx) => ctx.addIssue({ code: 'custom', path: issue.path, message: textIssueMessage(issue) }))
      .safeParse(null).error;
    throw new TRPCError({ code: 'BAD_REQUEST', message: textIssueMessage(issue), cause });
  }
  return next();
});

export const router = t.router;
export const publicProcedure = t.procedure.use(mapErrors).use(storableInput);

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user || !ctx.session) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Please sign in' });
  return next({ ctx: { ...ctx, user: ctx.user, session: ctx.session } });
});

/** The session's current tenant and the member's role there, checked on the server. */
function memberOf(minRole: Role) {
  return authedProcedure.use(async ({ ctx, next }) => {
    const tenantId = ctx.session.currentTenantId;
    if (!tenantId) throw new TRPCError({ code: 'PRECONDITION_FAILED', message: 'Choose a workspace first' });
    const role = await roleIn(ctx.db, ctx.user.id, tenantId);
    if (!role) throw new TRPCError({ code: 'FORBIDDEN', message: 'You are not a member of this workspace' });
    if (ROLE_RANK[role] < ROLE_RANK[minRole]) {
      throw new TRPCError({
        code: 'FORBIDDEN',
        message: `This needs the ${minRole} role; you are ${role === 'admin' ? 'an' : 'a'} ${role}`,
      });
    }
    return next({ ctx: { ...ctx, tenantId, role } });
  });
}

/**
 * Runs in the session's current tenant, checks the member's role on the server, and hands the
 * procedure a transaction acting as that tenant (row-level security applies to everything in it).
 */
export function tenantProcedure(minRole: Role) {
  return memberOf(minRole).use(({ ctx, next }) =>
    withTenant(ctx.db, ctx.tenantId, (tx: TenantTx) => next({ ctx: { ...ctx, tx } })),
  );
}

/**
 * The role check without a transaction, for a call that waits on the outside world (the editor's
 * look-up test, up to 10 s): a slow API must not hold one of the pool's few connections.
 */
export function memberProcedure(minRole: Role) {
  return memberOf(minRole);
}
