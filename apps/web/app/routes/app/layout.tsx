import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, TextField } from '@tripwire/ui';
import { useState } from 'react';
import { Link, NavLink, Outlet, useNavigate } from 'react-router';
import { can, useWorkspaceChanged } from '../../lib/me';
import { requireMe } from '../../lib/session.server';
import { errorMessage, useTRPC } from '../../lib/trpc';
import type { Route } from './+types/layout';

export async function loader({ context, request }: Route.LoaderArgs) {
  return requireMe(context, request);
}

/** Two workspaces with one name ("Demo") are told apart by the start of their id. */
function workspaceLabel(t: { tenantId: string; name: string; role: string }, all: { name: string }[]): string {
  const twin = all.filter((o) => o.name === t.name).length > 1;
  return `${t.name}${twin ? ` · ${t.tenantId.slice(0, 6)}` : ''} (${t.role})`;
}

const NAV = [
  { to: '/app/workflows', label: 'Workflows', min: 'viewer' },
  { to: '/app/runs', label: 'Runs', min: 'viewer' },
  { to: '/app/debugger', label: 'Event debugger', min: 'viewer' },
  { to: '/app/dead-letters', label: 'Dead letters', min: 'viewer' },
  { to: '/app/keys', label: 'Keys', min: 'admin' },
  { to: '/app/members', label: 'Members', min: 'viewer' },
  { to: '/app/settings', label: 'Settings', min: 'viewer' },
] as const;

export default function AppLayout({ loaderData: me }: Route.ComponentProps) {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const workspaceChanged = useWorkspaceChanged();
  const switchTenant = useMutation(
    trpc.tenants.switch.mutationOptions({
      onSuccess: async () => {
        await workspaceChanged();
        navigate('/app/workflows');
      },
    }),
  );
  const signOut = useMutation(trpc.auth.signOut.mutationOptions({ onSuccess: () => navigate('/sign-in') }));

  return (
    <div className="shell">
      <header className="topbar">
        <NavLink to="/app" className="brand">
          Tripwire
        </NavLink>
        <label className="tenant-switcher">
          <span className="visually-hidden">Workspace</span>
          <select
            aria-label="Workspace"
            value={me.current?.tenantId ?? ''}
            disabled={switchTenant.isPending}
            onChange={(e) => switchTenant.mutate({ tenantId: e.target.value })}
          >
            {me.current ? null : <option value="">Choose a workspace</option>}
            {me.tenants.map((t) => (
              <option key={t.tenantId} value={t.tenantId}>
                {workspaceLabel(t, me.tenants)}
              </option>
            ))}
          </select>
        </label>
        <div className="topbar__spacer" />
        <span className="topbar__user" title={me.user.email}>
          {me.user.name || me.user.email}
        </span>
        <button type="button" className="tw-button tw-button--ghost" onClick={() => signOut.mutate()}>
          Sign out
        </button>
      </header>
      <div className="shell__body">
        <nav className="sidenav" aria-label="Main">
          {NAV.filter((item) => can(me, item.min)).map((item) => (
            <NavLink key={item.to} to={item.to} className={({ isActive }) => (isActive ? 'active' : undefined)}>
              {item.label}
            </NavLink>
          ))}
        </nav>
        <main className="content">
          {me.current ? (
            <>
              <QuotaBanner />
              <Outlet context={me} />
            </>
          ) : (
            <NoWorkspace />
          )}
        </main>
      </div>
    </div>
  );
}

/** A workspace near (≥ 90%) or over a quota of its plan says so on every page, with a way to the numbers. */
function QuotaBanner() {
  const trpc = useTRPC();
  const usage = useQuery({ ...trpc.usage.summary.queryOptions(), refetchInterval: 60_000 });
  const warnings = usage.data?.warnings ?? [];
  if (warnings.length === 0) return null;
  const over = warnings.some((w) => w.over);
  return (
    <div className="quota-banner" data-testid="quota-banner">
      <Alert tone={over ? 'error' : 'info'}>
        {warnings.map((w) => (
          <p key={w.quota}>{w.message}</p>
        ))}
        <p>
          <Link to="/app/settings/usage">See usage and limits</Link>
        </p>
      </Alert>
    </div>
  );
}

function NoWorkspace() {
  const trpc = useTRPC();
  const workspaceChanged = useWorkspaceChanged();
  const [name, setName] = useState('');
  const create = useMutation(trpc.tenants.create.mutationOptions({ onSuccess: workspaceChanged }));
  return (
    <div className="tw-empty">
      <h3>You are not in a workspace</h3>
      <p>Ask a colleague for an invitation link, or start a new workspace.</p>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({ name });
        }}
      >
        <TextField
          label="Workspace name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={create.error ? errorMessage(create.error) : undefined}
        />
        <Button type="submit" variant="primary" busy={create.isPending}>
          Create workspace
        </Button>
      </form>
    </div>
  );
}
