// A signed-in browser as tRPC sees it (session cookie, client address), against an in-process web app.
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import { readSessionToken } from '../../src/auth/session.ts';
import { appRouter } from '../../src/trpc/router.ts';
import type { ApiFixture } from './api-fixture.ts';

export const PASSWORD = 'violet-harbor-88-kite';
export const uniqueEmail = (who: string) => `${who}-${randomUUID().slice(0, 8)}@example.com`;

export function trpcBrowser(api: ApiFixture) {
  // A cookie jar: the session, and the device cookie that marks a browser as known.
  const jar = new Map<string, string>();
  const cookie = () => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
  const ip = `10.1.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
  const caller = async () => {
    const ctx = await api.web.createContext({
      req: { headers: { cookie: cookie() }, ip } as unknown as Request,
      res: {
        append: (_name: string, value: string) => {
          const [pair = '', ...attributes] = value.split(';');
          const [name = '', ...rest] = pair.split('=');
          const expired = attributes.some((a) => /max-age=0/i.test(a.trim()));
          if (name.trim() === 'tw_session' && !readSessionToken(pair)) jar.delete('tw_session');
          else if (expired || rest.join('=') === '') jar.delete(name.trim());
          else jar.set(name.trim(), rest.join('='));
        },
      } as unknown as Response,
    });
    return appRouter.createCaller(ctx);
  };
  return { caller, cookie };
}
export type TrpcBrowser = ReturnType<typeof trpcBrowser>;

/** A new person with a new workspace, signed in (they are its owner). */
export async function signUpOwner(api: ApiFixture, workspace = 'Acme') {
  const b = trpcBrowser(api);
  const { tenantId } = await (await b.caller()).auth.signUp({
    email: uniqueEmail('owner'),
    password: PASSWORD,
    name: 'Olive Owner',
    workspace,
  });
  return { b, tenantId };
}

/** Someone invited into `owner`'s workspace with `role`, signed in and working in it. */
export async function joinAs(owner: { b: TrpcBrowser }, api: ApiFixture, role: 'admin' | 'editor' | 'viewer') {
  const invite = await (await owner.b.caller()).members.invite({ role });
  const b = trpcBrowser(api);
  await (await b.caller()).auth.signUp({
    email: uniqueEmail(role),
    password: PASSWORD,
    name: `Vic ${role}`,
    workspace: `${role}'s own`,
  });
  await (await b.caller()).members.acceptInvitation({ token: invite.token });
  return { b };
}
