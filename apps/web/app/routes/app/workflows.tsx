import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Badge, Button, Card, EmptyState, Loading, TextField } from '@tripwire/ui';
import { useState } from 'react';
import { can, useMe } from '../../lib/me';
import { errorMessage, useTRPC } from '../../lib/trpc';

export function meta() {
  return [{ title: 'Workflows · Tripwire' }];
}

const STATUS_TONE = { draft: 'neutral', published: 'green', changed: 'amber' } as const;

export default function Workflows() {
  const me = useMe();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.workflows.list.queryOptions());
  const [name, setName] = useState('');
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.workflows.list.queryKey() });
  const create = useMutation(
    trpc.workflows.create.mutationOptions({
      onSuccess: () => {
        setName('');
        refresh();
      },
    }),
  );
  const remove = useMutation(trpc.workflows.delete.mutationOptions({ onSuccess: refresh }));
  const editor = can(me, 'editor');

  return (
    <>
      <h1>Workflows</h1>
      {editor ? (
        <Card title="New workflow">
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              create.mutate({ name });
            }}
          >
            <TextField
              label="Name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              error={create.error ? errorMessage(create.error) : undefined}
            />
            <Button type="submit" variant="primary" busy={create.isPending}>
              Create workflow
            </Button>
          </form>
        </Card>
      ) : (
        <Alert tone="info">You can view workflows. Ask an admin for the editor role to change them.</Alert>
      )}
      <Card title="All workflows">
        {list.isPending ? <Loading /> : null}
        {list.error ? <Alert>{errorMessage(list.error)}</Alert> : null}
        {list.data && list.data.length === 0 ? (
          <EmptyState title="No workflows yet">{editor ? <p>Create one above to get started.</p> : null}</EmptyState>
        ) : null}
        {list.data && list.data.length > 0 ? (
          <table className="table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Status</th>
                <th>Version</th>
                <th>Runs (24 h)</th>
                <th>Updated</th>
                {editor ? <th aria-label="Actions" /> : null}
              </tr>
            </thead>
            <tbody>
              {list.data.map((w) => (
                <tr key={w.id}>
                  <td>{w.name}</td>
                  <td>
                    <Badge tone={STATUS_TONE[w.status]}>
                      {w.status === 'changed' ? 'changed since publish' : w.status}
                    </Badge>
                  </td>
                  <td>{w.activeVersion ? `v${w.activeVersion}` : '—'}</td>
                  <td>{w.runs24h}</td>
                  <td>{new Date(w.updatedAt).toLocaleString()}</td>
                  {editor ? (
                    <td className="right">
                      <Button
                        variant="danger"
                        onClick={() => {
                          if (confirm(`Delete “${w.name}” and its versions?`)) remove.mutate({ id: w.id });
                        }}
                      >
                        Delete
                      </Button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </Card>
    </>
  );
}
