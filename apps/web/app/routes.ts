import { index, layout, prefix, type RouteConfig, route } from '@react-router/dev/routes';

export default [
  index('routes/home.tsx'),
  route('sign-up', 'routes/sign-up.tsx'),
  route('sign-in', 'routes/sign-in.tsx'),
  route('invite/:token', 'routes/invite.tsx'),
  ...prefix('app', [
    layout('routes/app/layout.tsx', [
      index('routes/app/index.tsx'),
      route('workflows', 'routes/app/workflows.tsx'),
      route('workflows/:id', 'routes/app/workflow.tsx'),
      route('workflows/:id/activity', 'routes/app/activity.tsx'),
      route('workflows/:id/why', 'routes/app/why.tsx'),
      route('workflows/:id/backtest', 'routes/app/backtest.tsx'),
      route('runs', 'routes/app/runs.tsx'),
      route('runs/:id', 'routes/app/run.tsx'),
      route('debugger', 'routes/app/debugger.tsx'),
      route('dead-letters', 'routes/app/dead-letters.tsx'),
      route('keys', 'routes/app/keys.tsx'),
      route('members', 'routes/app/members.tsx'),
      route('settings', 'routes/app/settings.tsx'),
      route('settings/tracking-plan', 'routes/app/tracking-plan.tsx'),
      route('settings/usage', 'routes/app/usage.tsx'),
    ]),
  ]),
  route('*', 'routes/not-found.tsx'),
] satisfies RouteConfig;
