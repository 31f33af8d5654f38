import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { jsonProblem, starterTemplates, validateWorkflow, type WorkflowDocumentInput } from '@tripwire/rules';
import { Alert, Badge, Button, Card, Dialog, EmptyState, Loading, TextField } from '@tripwire/ui';
import { useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Onboarding } from '../../components/onboarding';
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
  const [importText, setImportText] = useState<string | null>(null);
  const [importError, setImportError] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  const [deleting, setDeleting] = useState<{ id: string; name: string; live: number | null } | null>(null);
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
  const remove = useMutation(
    trpc.workflows.delete.mutationOptions({
      onSuccess: async () => {
        setDeleting(null);
        await refresh();
      },
    }),
  );
  const duplicate = useMutation(trpc.workflows.duplicate.mutationOptions({ onSuccess: refresh }));
  const rename = useMutation(
    trpc.workflows.rename.mutationOptions({
      onSuccess: async () => {
        setRenaming(null);
        await refresh();
      },
    }),
  );
  const editor = can(me, 'editor');
  const failure = remove.error ?? duplicate.error;

  /** A pasted or chosen file: checked here first, so the message says what is wrong with it. */
  function importDocument(text: string, fallbackName: string) {
    const problem = jsonProblem(text);
    if (problem) return setImportError(problem);
    const document = JSON.parse(text) as WorkflowDocumentInput;
    const documentErrors = validateWorkflow(document).filter((e) => !e.nodeId && !e.edgeId && e.path[0] !== 'nodes');
    const shapeErrors = documentErrors.filter((e) => e.code.startsWith('document.'));
    if (typeof document !== 'object' || document === null || !Array.isArray((document as { nodes?: unknown }).nodes)) {
      return setImportError(
        'This is not a Tripwire workflow: it has no "nodes" list. Export one from a workflow to see the format.',
      );
    }
    if (shapeErrors.length > 0) {
      return setImportError(`This is not a Tripwire workflow yet: ${shapeErrors[0]?.message}.`);
    }
    setImportError(null);
    const name = typeof document.name === 'string' && document.name.trim() ? document.name : fallbackName;
    create.mutate({ name, document: { ...document, name } });
  }

  return (
    <>
      <h1>Workflows</h1>
      {failure ? <Alert>{errorMessage(failure)}</Alert> : null}
      <Onboarding />
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
              error={create.error && importText === null ? errorMessage(create.error) : undefined}
            />
            <Button type="submit" variant="primary" busy={create.isPending && importText === null}>
              Create workflow
            </Button>
            <Button
              onClick={() => {
                setImportError(null);
                create.reset();
                setImportText('');
              }}
            >
              Import…
            </Button>
          </form>
          <h3 className="templates__title">Or start from a template</h3>
          <ul className="templates">
            {starterTemplates.map((t) => (
              <li key={t.id}>
                <button
                  type="button"
                  className="template"
                  onClick={() => create.mutate({ name: t.name, document: t.document })}
                  aria-describedby={`template-${t.id}`}
                >
                  <span className="visually-hidden">Start from the template </span>
                  <strong>{t.name}</strong>
                  <span id={`template-${t.id}`} aria-hidden="true">
                    {t.description}
                  </span>
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
                  <td data-testid="runs-24h">{w.runs24h}</td>
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
                            rename.reset();
                            setRenaming({ id: w.id, name: w.name });
                          }}
                        >
                          Rename
                        </Button>
                        <Button variant="ghost" onClick={() => duplicate.mutate({ id: w.id })}>
                          Duplicate
                        </Button>
                        <Button
                          variant="danger"
                          onClick={() => setDeleting({ id: w.id, name: w.name, live: w.activeVersion })}
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
      <Dialog
        open={renaming !== null}
        title="Rename workflow"
        confirmLabel="Rename"
        busy={rename.isPending}
        confirmDisabled={!renaming?.name.trim()}
        onConfirm={() => renaming && rename.mutate({ id: renaming.id, name: renaming.name })}
        onClose={() => setRenaming(null)}
      >
        <TextField
          label="New name"
          value={renaming?.name ?? ''}
          maxLength={200}
          onChange={(e) => setRenaming((r) => (r ? { ...r, name: e.target.value } : r))}
          error={rename.error ? errorMessage(rename.error) : !renaming?.name.trim() ? 'Name the workflow' : undefined}
        />
      </Dialog>
      <Dialog
        open={deleting !== null}
        title={`Delete “${deleting?.name}”?`}
        confirmLabel="Delete workflow"
        tone="danger"
        busy={remove.isPending}
        onConfirm={() => deleting && remove.mutate({ id: deleting.id })}
        onClose={() => setDeleting(null)}
      >
        {deleting?.live ? (
          <p>
            <strong>It is live (v{deleting.live}).</strong> Deleting it stops it at once: no new runs, and runs waiting
            in it end. To stop it but keep it, pause it in the editor instead.
          </p>
        ) : null}
        <p>Its draft, every published version and its run history are deleted too. This cannot be undone.</p>
      </Dialog>
      <Dialog
        open={importText !== null}
        wide
        title="Import a workflow"
        confirmLabel="Import"
        busy={create.isPending}
        confirmDisabled={!importText?.trim()}
        onConfirm={() => importText && importDocument(importText, 'Imported workflow')}
        onClose={() => setImportText(null)}
      >
        <div className="tw-field">
          <label htmlFor="import-json">Paste an exported workflow (JSON)</label>
          <textarea
            id="import-json"
            className="code"
            rows={10}
            value={importText ?? ''}
            aria-invalid={importError || create.error ? true : undefined}
            onChange={(e) => {
              setImportText(e.target.value);
              setImportError(null);
            }}
          />
          {importError || create.error ? (
            <p className="tw-field__error" role="alert">
              {importError ?? (create.error ? errorMessage(create.error) : '')}
            </p>
          ) : null}
        </div>
        <Button onClick={() => fileInput.current?.click()}>Or choose a file…</Button>
        <input
          ref={fileInput}
          type="file"
          accept="application/json,.json"
          hidden
          aria-label="Import a workflow file"
          onChange={async (e) => {
            const file = e.target.files?.[0];
            if (file) {
              const text = await file.text();
              setImportText(text);
              importDocument(text, file.name.replace(/\.workflow\.json$|\.json$/, ''));
            }
          }}
        />
      </Dialog>
    </>
  );
}
