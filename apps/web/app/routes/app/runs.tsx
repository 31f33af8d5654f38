import { useQuery } from '@tanstack/react-query';
import { Alert, Badge, Card, EmptyState, Loading } from '@tripwire/ui';
import { Fragment, useState } from 'react';
import { errorMessage, useTRPC } from '../../lib/trpc';

export function meta() {
  return [{ title: 'Runs · Tripwire' }];
}

const RUN_TONE = { running: 'blue', waiting: 'amber', completed: 'green', failed: 'red' } as const;
const OUTCOME = {
  delivered: { tone: 'green', text: 'delivered' },
  retrying: { tone: 'amber', text: 'retrying' },
  failed: { tone: 'red', text: 'action failed' },
  no_actions: { tone: 'neutral', text: 'nothing sent' },
} as const;

/**
 * Each run with the truth about its actions: a run whose webhook got a 403 is "action failed",
 * not a green "completed".
 */
export default function Runs() {
  const trpc = useTRPC();
  const runs = useQuery({ ...trpc.runs.recent.queryOptions({ limit: 100 }), refetchInterval: 5000 });
  const [open, setOpen] = useState<string | null>(null);
  return (
    <>
      <h1>Runs</h1>
      <Card title="Last 7 days">
        {runs.isPending ? <Loading /> : null}
        {runs.error ? <Alert>{errorMessage(runs.error)}</Alert> : null}
        {runs.data && runs.data.length === 0 ? (
          <EmptyState title="No runs yet">
            <p>Runs appear here when a published workflow's trigger matches an event.</p>
          </EmptyState>
        ) : null}
        {runs.data && runs.data.length > 0 ? (
          <table className="table runs">
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
              {runs.data.map((r) => {
                const outcome = OUTCOME[r.outcome];
                const failed = r.actions.find((a) => a.state !== 'delivered');
                return (
                  <Fragment key={r.id}>
                    <tr data-run={r.id}>
                      <td>{new Date(r.startedAt).toLocaleString()}</td>
                      <td>
                        {r.workflowName} <span className="muted">v{r.version}</span>
                      </td>
                      <td className="mono">{r.userId}</td>
                      <td>
                        <Badge
                          tone={
                            r.status === 'completed' && r.outcome === 'failed'
                              ? 'red'
                              : (RUN_TONE[r.status as keyof typeof RUN_TONE] ?? 'neutral')
                          }
                        >
                          {r.status === 'completed' && r.outcome === 'failed'
                            ? 'completed with a failed action'
                            : r.status}
                        </Badge>
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
                      <td>
                        <button
                          type="button"
                          className="tw-button tw-button--ghost"
                          aria-expanded={open === r.id}
                          onClick={() => setOpen(open === r.id ? null : r.id)}
                        >
                          {open === r.id ? 'Hide steps' : 'Steps'}
                        </button>
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
                            {r.actions.map((a) => (
                              <li key={a.actionId} className="story__line">
                                <strong>{a.node}</strong>{' '}
                                {a.state === 'delivered'
                                  ? 'delivered (or on its way)'
                                  : a.state === 'retrying'
                                    ? `retrying: ${a.error ?? 'failed'}`
                                    : `failed for good after ${a.attempts} attempt${a.attempts === 1 ? '' : 's'}: ${a.error ?? ''}`}
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
      </Card>
    </>
  );
}
