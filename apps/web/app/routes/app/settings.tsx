import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, TextField } from '@tripwire/ui';
import { useState } from 'react';
import { Link, useNavigate, useRevalidator } from 'react-router';
import { can, useMe, useWorkspaceChanged } from '../../lib/me';
import { errorMessage, useTRPC } from '../../lib/trpc';

export function meta() {
  return [{ title: 'Settings · Tripwire' }];
}

export default function Settings() {
  const me = useMe();
  const trpc = useTRPC();
  const navigate = useNavigate();
  const { revalidate } = useRevalidator();
  const workspaceChanged = useWorkspaceChanged();
  const [workspace, setWorkspace] = useState(me.current?.name ?? '');
  const [newWorkspace, setNewWorkspace] = useState('');
  const [passwords, setPasswords] = useState({ current: '', next: '' });
  const [confirmName, setConfirmName] = useState('');
  const rename = useMutation(trpc.tenants.rename.mutationOptions({ onSuccess: () => revalidate() }));
  const create = useMutation(
    trpc.tenants.create.mutationOptions({
      onSuccess: async () => {
        await workspaceChanged();
        navigate('/app/workflows');
      },
    }),
  );
  const change = useMutation(
    trpc.auth.changePassword.mutationOptions({ onSuccess: () => setPasswords({ current: '', next: '' }) }),
  );
  const remove = useMutation(
    trpc.tenants.delete.mutationOptions({
      onSuccess: async () => {
        await workspaceChanged();
        navigate('/app');
      },
    }),
  );

  return (
    <>
      <h1>Settings</h1>
      <Card title="Usage">
        <p className="muted">What this workspace used this month and today, against its plan’s limits.</p>
        <Link to="/app/settings/usage">See usage and limits</Link>
      </Card>
      <Card title="Tracking plan">
        <p className="muted">
          The events this workspace sends, their properties’ types, and what happens to an event that breaks the plan.
        </p>
        <Link to="/app/settings/tracking-plan">Edit the tracking plan</Link>
      </Card>
      {can(me, 'admin') ? (
        <Card title="Workspace">
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              rename.mutate({ name: workspace });
            }}
          >
            <TextField
              label="Workspace name"
              value={workspace}
              onChange={(e) => setWorkspace(e.target.value)}
              error={rename.error ? errorMessage(rename.error) : undefined}
            />
            <Button type="submit" busy={rename.isPending}>
              Rename
            </Button>
          </form>
        </Card>
      ) : null}
      <EndpointsCard />
      <Card title="Your password">
        {change.isSuccess ? <Alert tone="success">Password changed. Other sessions were signed out.</Alert> : null}
        {change.error ? <Alert>{errorMessage(change.error)}</Alert> : null}
        <form
          onSubmit={(e) => {
            e.preventDefault();
            change.mutate(passwords);
          }}
        >
          <TextField
            label="Current password"
            type="password"
            autoComplete="current-password"
            value={passwords.current}
            onChange={(e) => setPasswords({ ...passwords, current: e.target.value })}
          />
          <TextField
            label="New password"
            type="password"
            autoComplete="new-password"
            value={passwords.next}
            onChange={(e) => setPasswords({ ...passwords, next: e.target.value })}
            hint="At least 10 characters"
          />
          <Button type="submit" busy={change.isPending}>
            Change password
          </Button>
        </form>
      </Card>
      <Card title="Another workspace">
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate({ name: newWorkspace });
          }}
        >
          <TextField
            label="New workspace name"
            value={newWorkspace}
            onChange={(e) => setNewWorkspace(e.target.value)}
            error={create.error ? errorMessage(create.error) : undefined}
          />
          <Button type="submit" busy={create.isPending}>
            Create workspace
          </Button>
        </form>
      </Card>
      {can(me, 'owner') ? (
        <Card title="Delete this workspace">
          <p className="muted">
            Deletes every workflow, run, key and member of “{me.current?.name}”. This cannot be undone.
          </p>
          {remove.error ? <Alert>{errorMessage(remove.error)}</Alert> : null}
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              remove.mutate({ confirmName });
            }}
          >
            <TextField
              label="Type the workspace name to confirm"
              value={confirmName}
              onChange={(e) => setConfirmName(e.target.value)}
            />
            <Button type="submit" variant="danger" busy={remove.isPending} disabled={confirmName !== me.current?.name}>
              Delete workspace
            </Button>
          </form>
        </Card>
      ) : null}
    </>
  );
}

const STATE_WORDS = { paused: 'Paused', trying: 'Trying again', delivering: 'Delivering' } as const;

/**
 * Endpoints whose circuit breaker opened: after a run of failed deliveries the engine pauses an
 * endpoint, keeps its deliveries queued, and tries again on its own.
 */
function EndpointsCard() {
  const trpc = useTRPC();
  const endpoints = useQuery({ ...trpc.endpoints.list.queryOptions(), refetchInterval: 10_000 });
  const rows = endpoints.data ?? [];
  return (
    <Card title="Endpoints">
      {endpoints.error ? <Alert>{errorMessage(endpoints.error)}</Alert> : null}
      {rows.length === 0 ? (
        <p className="muted">Every endpoint your actions call is receiving deliveries.</p>
      ) : (
        <table className="table" aria-label="Endpoints">
          <thead>
            <tr>
              <th>Endpoint</th>
              <th>State</th>
              <th>Waiting deliveries</th>
              <th>Last error</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((e) => (
              <tr key={e.endpoint}>
                <td>{e.endpoint}</td>
                <td>
                  {STATE_WORDS[e.state]}
                  {e.state === 'paused' && e.resumeAt
                    ? ` after ${e.failures} failures, until ${new Date(e.resumeAt).toLocaleTimeString()}`
                    : ''}
                </td>
                <td>{e.waiting}</td>
                <td className="muted">{e.lastError ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}
