import type { AppLoadContext } from 'react-router';
import { redirect } from 'react-router';

/** The signed-in user and their workspaces, for loaders; redirects to sign-in when absent. */
export async function requireMe(context: AppLoadContext, request: Request) {
  const me = await (await context.caller(request)).auth.me();
  if (!me) {
    const url = new URL(request.url);
    throw redirect(`/sign-in?next=${encodeURIComponent(url.pathname + url.search)}`);
  }
  return me;
}
