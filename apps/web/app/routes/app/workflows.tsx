import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { starterTemplates, type WorkflowDocumentInput } from '@tripwire/rules';
import { Alert, Badge, Button, Card, EmptyState, Loading, TextField } from '@tripwire/ui';
import { useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { can, useMe } from '../../lib/me';
import { errorMessage, useTRPC, useTRPCClient } from '../../lib/trpc';

export function meta() {
  return [{ title: 'Workflows · Tripwire' }];
}

const STATUS_TONE = { draft: 'neutral', published: 'green', changed: 'amber' } as const;

function download(name: string, document: unknown) {
  const blob = new Blob([`${JSON.stringify(document, null, 2)}\n`], { type: 'application/json' });
  const a = Object.assign(window.document.createElement('a'), {
    href: URL.createObjectURL(blob),
    download: `${name.replace(/[^\w-]+/g, '-')}.workflow.json`,
  });
  a.click();
  URL.revokeObjectURL(a.href);
}

export default function Workflows() {
  const me = useMe();
  const trpc = useTRPC();
  const client = useTRPCClient();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.workflows.list.queryOptions());
  const [name, setName] = useState('');
  const [importError, setImportError] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.workflows.list.queryKey() });
  const create = useMutation(
    trpc.workflows.create.mutationOptions({
      onSuccess: async (r) => {
        await refresh();
        navigate(`/app/workflows/${r.id}`);
      },
    }),
  );
  const remove = useMutation(trpc.workflows.delete.mutationOptions({ onSuccess: refresh }));
  const duplicate = useMutation(trpc.workflows.duplicate.mutationOptions({ onSuccess: refresh }));
  const rename = useMutation(trpc.workflows.rename.mutationOptions({ onSuccess: refresh }));
  const editor = can(me, 'editor');
  const failure = create.error ?? remove.error ?? duplicate.error ?? rename.error;

  async function importFile(file: File) {
    setImportError(null);
    try {
      const document = JSON.parse(await file.text()) as WorkflowDocumentInput;
      create.mutate({ name: String(document.name ?? file.name), document });
    } catch (e) {
      setImportError(`${file.name} is not valid JSON: ${(e as Error).message}`);
    }
  }

  return (
    <>
      <h1>Workflows</h1>
      {failure ? <Alert>{errorMessage(failure)}</Alert> : null}
      {importError ? <Alert>{importError}</Alert> : null}
      {editor ? (
        <Card title="New workflow">
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              create.mutate({ name });
            }}
          >
            <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} />
            <Button type="submit" variant="primary" busy={create.isPending}>
              Create workflow
            </Button>
            <Button onClick={() => fileInput.current?.click()}>Import JSON…</Button>
            <input
              ref={fileInput}
              type="file"
              accept="application/json,.json"
              hidden
              aria-label="Import a workflow file"
              onChange={(e) => e.target.files?.[0] && void importFile(e.target.files[0])}
            />
          </form>
          <h3 className="templates__title">Or start from a template</h3>
          <ul className="templates">
            {starterTemplates.map((t) => (
              <li key={t.id}>
                <button
                  type="button"
                  className="template"
                  onClick={() => create.mutate({ name: t.name, document: t.document })}
                >
                  <strong>{t.name}</strong>
                  <span>{t.description}</span>
                </button>
              </li>
            ))}
          </ul>
        </Card>
      ) : (
        <Alert tone="info">You can view workflows. Ask an admin for the editor role to change them.</Alert>
      )}
      <Card title="All workflows">
        {list.isPending ? <Loading /> : null}
        {list.error ? <Alert>{errorMessage(list.error)}</Alert> : null}
        {list.data && list.data.length === 0 ? (
          <EmptyState title="No workflows yet">
            {editor ? <p>Create one above, or start from a template.</p> : null}
          </EmptyState>
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
                <th aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {list.data.map((w) => (
                <tr key={w.id}>
                  <td>
                    <Link to={`/app/workflows/${w.id}`}>{w.name}</Link>
                  </td>
                  <td>
                    <Badge tone={STATUS_TONE[w.status]}>
                      {w.status === 'changed' ? 'changed since publish' : w.status}
                    </Badge>
                    {w.problems ? (
                      <Badge tone="red">not running: {w.problems.map((p) => p.message).join('; ')}</Badge>
                    ) : null}
                  </td>
                  <td>{w.activeVersion ? `v${w.activeVersion}` : '—'}</td>
                  <td>{w.runs24h}</td>
                  <td>{new Date(w.updatedAt).toLocaleString()}</td>
                  <td className="right nowrap">
                    <Button
                      variant="ghost"
                      onClick={async () => {
                        const wf = await client.workflows.get.query({ id: w.id });
                        download(w.name, wf.draft);
                      }}
                    >
                      Export
                    </Button>
                    {editor ? (
                      <>
                        <Button
                          variant="ghost"
                          onClick={() => {
                            const next = prompt('New name', w.name);
                            if (next && next !== w.name) rename.mutate({ id: w.id, name: next });
                          }}
                        >
                          Rename
                        </Button>
                        <Button variant="ghost" onClick={() => duplicate.mutate({ id: w.id })}>
                          Duplicate
                        </Button>
                        <Button
                          variant="danger"
                          onClick={() => {
                            if (confirm(`Delete “${w.name}” and its versions?`)) remove.mutate({ id: w.id });
                          }}
                        >
                          Delete
                        </Button>
                      </>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </Card>
    </>
  );
}
