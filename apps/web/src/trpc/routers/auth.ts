import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { deviceCookie, rememberDevice } from '../../auth/devices.ts';
import { passwordProblem } from '../../auth/password-policy.ts';
import {
  clearSessionCookie,
  createSession,
  generateSessionToken,
  invalidateSession,
  sessionCookie,
} from '../../auth/session.ts';
import { authenticate, changePassword, signUp } from '../../services/accounts.ts';
import type { Context } from '../context.ts';
import { authedProcedure, publicProcedure, router } from '../init.ts';
import { myTenants } from '../tenant-access.ts';

const email = z.email('Enter a valid email address').max(254);
const password = z.string().min(1, 'Enter your password').max(128);

async function startSession(ctx: Context, userId: string, tenantId: string | null) {
  const token = generateSessionToken();
  const session = await createSession(ctx.db, token, userId, tenantId);
  ctx.setCookie(sessionCookie(token, session.expiresAt, ctx.secureCookies));
}

export const authRouter = router({
  me: publicProcedure.query(async ({ ctx }) => {
    if (!ctx.user || !ctx.session) return null;
    const tenants = await myTenants(ctx.db, ctx.user.id);
    const current = tenants.find((t) => t.tenantId === ctx.session?.currentTenantId) ?? null;
    return { user: ctx.user, tenants, current };
  }),

  signUp: publicProcedure
    .input(
      z
        .object({
          email,
          password: z.string().max(128),
          name: z.string().trim().max(100).default(''),
          workspace: z.string().trim().min(1, 'Name your workspace').max(100),
        })
        .superRefine((v, ctx) => {
          const problem = passwordProblem(v.password, v.email, v.name);
          if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['password'] });
        }),
    )
    .mutation(async ({ ctx, input }) => {
      const { userId, tenantId } = await signUp(ctx.db, { ...input, ip: ctx.ip, maxPerIp: ctx.env.SIGNUPS_PER_IP });
      await startSession(ctx, userId, tenantId);
      ctx.setCookie(deviceCookie(await rememberDevice(ctx.db, userId, null), ctx.secureCookies));
      return { tenantId };
    }),

  signIn: publicProcedure.input(z.object({ email, password })).mutation(async ({ ctx, input }) => {
    const { userId, deviceToken } = await authenticate(ctx.db, {
      ...input,
      ip: ctx.ip,
      deviceToken: ctx.deviceToken,
      maxFailuresPerIp: ctx.env.SIGNIN_FAILURES_PER_IP,
    });
    if (deviceToken !== ctx.deviceToken) ctx.setCookie(deviceCookie(deviceToken, ctx.secureCookies));
    const tenants = await myTenants(ctx.db, userId);
    await startSession(ctx, userId, tenants[0]?.tenantId ?? null);
    return { tenantId: tenants[0]?.tenantId ?? null };
  }),

  signOut: publicProcedure.mutation(async ({ ctx }) => {
    if (ctx.session) await invalidateSession(ctx.db, ctx.session.id);
    ctx.setCookie(clearSessionCookie(ctx.secureCookies));
    return { ok: true };
  }),

  changePassword: authedProcedure
    .input(z.object({ current: password, next: z.string().max(128) }))
    .mutation(async ({ ctx, input }) => {
      const problem = passwordProblem(input.next, ctx.user.email);
      if (problem) throw new TRPCError({ code: 'BAD_REQUEST', message: problem });
      await changePassword(ctx.db, { userId: ctx.user.id, current: input.current, next: input.next });
      // Every session was invalidated, this one included; keep the person signed in here only.
      await startSession(ctx, ctx.user.id, ctx.session.currentTenantId);
      return { ok: true };
    }),
});
