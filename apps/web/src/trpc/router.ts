import { router } from './init.ts';
import { authRouter } from './routers/auth.ts';
import { catalogRouter } from './routers/catalog.ts';
import { deadLettersRouter } from './routers/dead-letters.ts';
import { endpointsRouter } from './routers/endpoints.ts';
import { eventDebuggerRouter } from './routers/event-debugger.ts';
import { historyRouter } from './routers/history.ts';
import { keysRouter } from './routers/keys.ts';
import { lookupsRouter } from './routers/lookups.ts';
import { membersRouter } from './routers/members.ts';
import { onboardingRouter } from './routers/onboarding.ts';
import { runsRouter } from './routers/runs.ts';
import { tenantsRouter } from './routers/tenants.ts';
import { trackingPlanRouter } from './routers/tracking-plan.ts';
import { usageRouter } from './routers/usage.ts';
import { workflowsRouter } from './routers/workflows.ts';

export const appRouter = router({
  auth: authRouter,
  tenants: tenantsRouter,
  members: membersRouter,
  keys: keysRouter,
  workflows: workflowsRouter,
  runs: runsRouter,
  catalog: catalogRouter,
  trackingPlan: trackingPlanRouter,
  onboarding: onboardingRouter,
  deadLetters: deadLettersRouter,
  eventDebugger: eventDebuggerRouter,
  endpoints: endpointsRouter,
  history: historyRouter,
  lookups: lookupsRouter,
  usage: usageRouter,
});
export type AppRouter = typeof appRouter;
