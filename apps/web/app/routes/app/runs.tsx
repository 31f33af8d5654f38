import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Alert, Badge, Button, Card, EmptyState, Loading } from '@tripwire/ui';
import { type FormEvent, useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { errorMessage, useTRPC } from '../../lib/trpc';

export function meta() {
  return [{ title: 'Runs · Tripwire' }];
}

export const STATUS_TONE = { running: 'blue', waiting: 'amber', completed: 'green', failed: 'red' } as const;
export const DELIVERY = {
  delivered: { tone: 'green', text: 'actions delivered' },
  queued: { tone: 'blue', text: 'actions queued' },
  retrying: { tone: 'amber', text: 'an action is retrying' },
  failed: { tone: 'red', text: 'an action failed' },
  none: { tone: 'neutral', text: '' },
} as const;

const FILTERS = ['workflowId', 'version', 'status', 'userId', 'nodeId', 'from', 'to'] as const;

/** datetime-local <-> ISO: the browser's local time in the form, UTC on the wire. */
const toLocal = (iso: string | null) => (iso ? new Date(iso).toISOString().slice(0, 16) : '');
const fromLocal = (value: string) => (value ? new Date(value).toISOString() : '');

export default function Runs() {
  const trpc = useTRPC();
  const [params, setParams] = useSearchParams();
  const filter = useMemo(() => {
    const f: Record<string, string | number> = {};
    for (const key of FILTERS) {
      const value = params.get(key);
      if (value) f[key] = key === 'version' ? Number(value) : value;
    }
    return f;
  }, [params]);
  const workflows = useQuery(trpc.workflows.list.queryOptions());
  const runs = useInfiniteQuery(
    trpc.runExplorer.list.infiniteQueryOptions(
      { filter, limit: 50 },
      { getNextPageParam: (page) => page.next ?? undefined, refetchInterval: 10_000 },
    ),
  );
  const rows = runs.data?.pages.flatMap((p) => p.runs) ?? [];

  function apply(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const next = new URLSearchParams();
    for (const key of FILTERS) {
      const raw = String(form.get(key) ?? '').trim();
      const value = key === 'from' || key === 'to' ? fromLocal(raw) : raw;
      if (value) next.set(key, value);
    }
    setParams(next);
  }

  return (
    <>
      <h1>Runs</h1>
      <Card title="Find runs">
        <form className="filters" onSubmit={apply} aria-label="Run filters" key={params.toString()}>
          <label className="tw-field">
            <span>Workflow</span>
            <select name="workflowId" defaultValue={params.get('workflowId') ?? ''}>
              <option value="">All workflows</option>
              {workflows.data?.map((w) => (
                <option key={w.id} value={w.id}>
                  {w.name}
                </option>
              ))}
            </select>
          </label>
          <label className="tw-field">
            <span>Version</span>
            <input name="version" type="number" min={1} defaultValue={params.get('version') ?? ''} />
          </label>
          <label className="tw-field">
            <span>Status</span>
            <select name="status" defaultValue={params.get('status') ?? ''}>
              <option value="">Any</option>
              <option value="waiting">Waiting</option>
              <option value="completed">Completed</option>
              <option value="failed">Failed</option>
              <option value="running">Running</option>
            </select>
          </label>
          <label className="tw-field">
            <span>User id</span>
            <input name="userId" defaultValue={params.get('userId') ?? ''} placeholder="user-123" />
          </label>
          <label className="tw-field">
            <span>From</span>
            <input name="from" type="datetime-local" defaultValue={toLocal(params.get('from'))} />
          </label>
          <label className="tw-field">
            <span>To</span>
            <input name="to" type="datetime-local" defaultValue={toLocal(params.get('to'))} />
          </label>
          <input type="hidden" name="nodeId" value={params.get('nodeId') ?? ''} />
          <div className="actions">
            <Button variant="primary" type="submit">
              Show runs
            </Button>
            {params.size > 0 ? (
              <Button type="button" onClick={() => setParams(new URLSearchParams())}>
                Clear
              </Button>
            ) : null}
          </div>
          {params.get('nodeId') ? (
            <p className="muted small">
              Only runs that passed node <code>{params.get('nodeId')}</code>.
            </p>
          ) : null}
        </form>
      </Card>
      <Card title="Newest first">
        {runs.isPending ? <Loading /> : null}
        {runs.error ? <Alert>{errorMessage(runs.error)}</Alert> : null}
        {runs.data && rows.length === 0 ? (
          <EmptyState title="No runs match">
            <p>Runs appear here when a published workflow's trigger matches an event.</p>
          </EmptyState>
        ) : null}
        {rows.length > 0 ? (
          <table className="table" aria-label="Runs">
            <thead>
              <tr>
                <th>Started</th>
                <th>Workflow</th>
                <th>User</th>
                <th>Status</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td className="nowrap">{new Date(r.startedAt).toLocaleString()}</td>
                  <td>
                    {r.workflowName} <span className="muted">v{r.version}</span>
                  </td>
                  <td>
                    <code>{r.userId}</code>
                  </td>
                  <td>
                    <Badge tone={STATUS_TONE[r.status as keyof typeof STATUS_TONE] ?? 'neutral'}>{r.status}</Badge>{' '}
                    {r.delivery !== 'none' ? (
                      <Badge tone={DELIVERY[r.delivery].tone}>{DELIVERY[r.delivery].text}</Badge>
                    ) : null}
                    {r.error ? <div className="muted small">{r.error}</div> : null}
                  </td>
                  <td className="right">
                    <Link to={`/app/runs/${r.id}`}>Trace</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {runs.hasNextPage ? (
          <div className="actions">
            <Button onClick={() => void runs.fetchNextPage()} busy={runs.isFetchingNextPage}>
              Older runs
            </Button>
          </div>
        ) : null}
      </Card>
    </>
  );
}
