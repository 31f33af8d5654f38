import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Badge,
  Button,
  Card,
  EmptyState,
  Loading,
  SecretOnce,
  SelectField,
  TextField,
  useConfirm,
} from '@tripwire/ui';
import { useState } from 'react';
import { can, useMe } from '../../lib/me';
import { errorMessage, useTRPC } from '../../lib/trpc';

export function meta() {
  return [{ title: 'API keys · Tripwire' }];
}

export default function Keys() {
  const me = useMe();
  const trpc = useTRPC();
  const [confirmDialog, ask] = useConfirm();
  const queryClient = useQueryClient();
  const keys = useQuery({ ...trpc.keys.list.queryOptions(), enabled: can(me, 'admin') });
  const secrets = useQuery({ ...trpc.keys.secrets.queryOptions(), enabled: can(me, 'admin') });
  const [name, setName] = useState('');
  const [scope, setScope] = useState<'ingest' | 'admin'>('ingest');
  const [shown, setShown] = useState<{ label: string; value: string } | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.keys.pathKey() });
  const create = useMutation(
    trpc.keys.create.mutationOptions({
      onSuccess: (key) => {
        setShown({ label: `New ${key.scope} key “${key.name}”`, value: key.key });
        setName('');
        void refresh();
      },
    }),
  );
  const revoke = useMutation(trpc.keys.revoke.mutationOptions({ onSuccess: refresh }));
  const reveal = useMutation(
    trpc.keys.revealSecret.mutationOptions({
      onSuccess: (r) => {
        setShown({ label: 'Webhook signing secret', value: r.secret });
        refresh();
      },
    }),
  );
  const rotate = useMutation(
    trpc.keys.rotateSecret.mutationOptions({
      onSuccess: (r) => {
        setShown({ label: 'New webhook signing secret', value: r.secret });
        refresh();
      },
    }),
  );

  if (!can(me, 'admin')) return <Alert>Only admins and owners manage API keys.</Alert>;

  return (
    <>
      {confirmDialog}
      <h1>API keys</h1>
      {shown ? <SecretOnce label={shown.label} value={shown.value} /> : null}
      <Card title="Create a key">
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate({ name, scope });
          }}
        >
          <TextField
            label="Key name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={create.error ? errorMessage(create.error) : undefined}
          />
          <SelectField
            label="Scope"
            value={scope}
            onChange={(e) => setScope(e.target.value as 'ingest' | 'admin')}
            options={[
              { value: 'ingest', label: 'Ingest (write key: /v1/track, /identify, /batch)' },
              { value: 'admin', label: 'Admin (workflows, keys, profiles)' },
            ]}
          />
          <Button type="submit" variant="primary" busy={create.isPending}>
            Create key
          </Button>
        </form>
      </Card>
      <Card title="Keys">
        {keys.isPending ? <Loading /> : null}
        {keys.error ? <Alert>{errorMessage(keys.error)}</Alert> : null}
        {keys.data?.length === 0 ? <EmptyState title="No keys" /> : null}
        {keys.data && keys.data.length > 0 ? (
          <table className="table" aria-label="API keys">
            <thead>
              <tr>
                <th>Name</th>
                <th>Key</th>
                <th>Scope</th>
                <th>Last used</th>
                <th>Status</th>
                <th aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {keys.data.map((k) => (
                <tr key={k.id}>
                  <td>{k.name}</td>
                  <td>
                    <code className="mono">{k.prefix}…</code>
                  </td>
                  <td>{k.scope}</td>
                  <td>{k.lastUsedAt ? new Date(k.lastUsedAt).toLocaleString() : 'never'}</td>
                  <td>{k.revokedAt ? <Badge tone="red">revoked</Badge> : <Badge tone="green">active</Badge>}</td>
                  <td className="right">
                    {k.revokedAt ? null : (
                      <Button
                        variant="danger"
                        aria-label={`Revoke ${k.name}`}
                        onClick={async () => {
                          if (
                            await ask({
                              title: `Revoke “${k.name}”?`,
                              body: 'Requests with this key are refused at once. This cannot be undone.',
                              confirmLabel: 'Revoke key',
                              tone: 'danger',
                            })
                          )
                            revoke.mutate({ id: k.id });
                        }}
                      >
                        Revoke
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </Card>
      <Card
        title="Webhook signing secret"
        actions={
          <span className="actions">
            <Button
              onClick={() => reveal.mutate()}
              busy={reveal.isPending}
              disabled={secrets.data?.every((s) => s.revealedAt)}
            >
              Reveal once
            </Button>
            <Button
              variant="danger"
              busy={rotate.isPending}
              onClick={async () => {
                if (
                  await ask({
                    title: 'Rotate the signing secret?',
                    body: 'A new secret signs webhooks from now on; the current one keeps signing too for 24 hours.',
                    confirmLabel: 'Rotate',
                  })
                )
                  rotate.mutate();
              }}
            >
              Rotate
            </Button>
          </span>
        }
      >
        {reveal.error ? <Alert>{errorMessage(reveal.error)}</Alert> : null}
        <p className="muted">
          Every webhook is signed (Standard Webhooks). During a rotation both secrets sign for 24 hours.
        </p>
        <ul className="plain">
          {secrets.data?.map((s) => (
            <li key={s.id}>
              <code>{s.hint}</code> created {new Date(s.createdAt).toLocaleString()}
              {s.expiresAt ? (
                <Badge tone="amber">retires {new Date(s.expiresAt).toLocaleString()}</Badge>
              ) : (
                <Badge tone="green">current</Badge>
              )}
              {s.revealedAt ? <span className="muted"> · shown</span> : null}
            </li>
          ))}
        </ul>
      </Card>
    </>
  );
}
