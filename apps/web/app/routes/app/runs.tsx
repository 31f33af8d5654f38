import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Alert, Badge, Button, Card, EmptyState, Loading } from '@tripwire/ui';
import { type FormEvent, Fragment, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { errorMessage, useTRPC } from '../../lib/trpc';

export function meta() {
  return [{ title: 'Runs · Tripwire' }];
}

export const STATUS_TONE = { running: 'blue', waiting: 'amber', completed: 'green', failed: 'red' } as const;
/** What a run's actions did, worst first (services/run-outcomes.ts decides). */
export const OUTCOME = {
  delivered: { tone: 'green', text: 'delivered' },
  queued: { tone: 'blue', text: 'queued' },
  retrying: { tone: 'amber', text: 'retrying' },
  failed: { tone: 'red', text: 'action failed' },
  no_actions: { tone: 'neutral', text: 'nothing sent' },
  skipped: { tone: 'neutral', text: 'skipped: no consent' },
} as const;

/** A run whose walk completed but whose action failed is not a green "completed". */
export function runBadge(status: string, outcome: keyof typeof OUTCOME) {
  if (status === 'completed' && outcome === 'failed')
    return { tone: 'red' as const, text: 'completed with a failed action' };
  return { tone: STATUS_TONE[status as keyof typeof STATUS_TONE] ?? ('neutral' as const), text: status };
}

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
  const [open, setOpen] = useState<string | null>(null);
  const workflows = useQuery(trpc.workflows.list.queryOptions());
  const runs = useInfiniteQuery(
    trpc.runs.list.infiniteQueryOptions(
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
          <table className="table runs" aria-label="Runs">
            <thead>
              <tr>
                <th>Started</th>
                <th>Workflow</th>
                <th>User</th>
                <th>Run</th>
                <th>Actions</th>
                <th>Now at</th>
                <th>
                  <span className="visually-hidden">Details</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => {
                const outcome = OUTCOME[r.outcome];
                const badge = runBadge(r.status, r.outcome);
                const failed = r.actions.find((a) => a.state === 'failed' || a.state === 'retrying');
                return (
                  <Fragment key={r.id}>
                    <tr data-run={r.id}>
                      <td className="nowrap">{new Date(r.startedAt).toLocaleString()}</td>
                      <td>
                        {r.workflowName} <span className="muted">v{r.version}</span>
                      </td>
                      <td className="mono">{r.userId}</td>
                      <td>
                        <Badge tone={badge.tone}>{badge.text}</Badge>
                        {r.error ? <div className="muted small">{r.error}</div> : null}
                      </td>
                      <td data-testid="run-outcome">
                        <Badge tone={outcome.tone}>{outcome.text}</Badge>
                        {failed ? (
                          <div className="muted small">
                            {failed.node}: {failed.lastStatus ? `HTTP ${failed.lastStatus}, ` : ''}
                            {failed.state === 'failed'
                              ? `gave up after ${failed.attempts} attempt${failed.attempts === 1 ? '' : 's'}`
                              : `attempt ${failed.attempts} failed`}
                          </div>
                        ) : null}
                      </td>
                      <td>{r.currentNodeName ?? '—'}</td>
                      <td className="right nowrap">
                        <button
                          type="button"
                          className="tw-button tw-button--ghost"
                          aria-expanded={open === r.id}
                          onClick={() => setOpen(open === r.id ? null : r.id)}
                        >
                          {open === r.id ? 'Hide steps' : 'Steps'}
                        </button>{' '}
                        <Link to={`/app/runs/${r.id}`}>Trace</Link>
                      </td>
                    </tr>
                    {open === r.id ? (
                      <tr>
                        <td colSpan={7}>
                          <ol className="story" aria-label="Steps of this run">
                            {r.story.lines.map((line, i) => (
                              <li key={`${line.nodeId}-${i}`} className={`story__line story__line--${line.tone}`}>
                                <strong>{line.node}</strong> {line.text}
                              </li>
                            ))}
                          </ol>
                          {r.story.ending.length ? <p className="story__ending">{r.story.ending.join(' ')}</p> : null}
                        </td>
                      </tr>
                    ) : null}
                  </Fragment>
                );
              })}
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
