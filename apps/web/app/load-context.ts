import type { appRouter } from '../src/trpc/router.ts';

declare module 'react-router' {
  interface AppLoadContext {
    /** A tRPC caller for this request's session: loaders get the same checks as the browser. */
    caller(request: Request): Promise<ReturnType<typeof appRouter.createCaller>>;
  }
}
