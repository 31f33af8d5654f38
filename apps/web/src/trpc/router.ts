import { router } from './init.ts';
import { authRouter } from './routers/auth.ts';
import { deadLettersRouter } from './routers/dead-letters.ts';
import { eventDebuggerRouter } from './routers/event-debugger.ts';
import { keysRouter } from './routers/keys.ts';
import { membersRouter } from './routers/members.ts';
import { runsExplorerRouter } from './routers/runs.ts';
import { tenantsRouter } from './routers/tenants.ts';
import { catalogRouter, runsRouter, workflowsRouter } from './routers/workflows.ts';

export const appRouter = router({
  auth: authRouter,
  tenants: tenantsRouter,
  members: membersRouter,
  keys: keysRouter,
  workflows: workflowsRouter,
  runs: runsRouter,
  runExplorer: runsExplorerRouter,
  catalog: catalogRouter,
  deadLetters: deadLettersRouter,
  eventDebugger: eventDebuggerRouter,
});
export type AppRouter = typeof appRouter;
