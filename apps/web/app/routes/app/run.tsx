import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { WorkflowDocumentInput } from '@tripwire/rules';
import { Alert, Badge, Button, Card, Loading } from '@tripwire/ui';
import { lazy, Suspense, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { byId, nodeName } from '../../flow-view/describe';
import type { NodeState } from '../../flow-view/read-only-flow';
import { can, useMe } from '../../lib/me';
import { errorMessage, useTRPC } from '../../lib/trpc';
import { OUTCOME, runBadge } from './runs';

// The canvas measures the DOM: it loads after hydration.
const ReadOnlyFlow = lazy(() => import('../../flow-view/read-only-flow').then((m) => ({ default: m.ReadOnlyFlow })));

export function meta() {
  return [{ title: 'Run trace · Tripwire' }];
}

export default function RunTrace() {
  const { id = '' } = useParams();
  const trpc = useTRPC();
  const me = useMe();
  const queryClient = useQueryClient();
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const trace = useQuery({ ...trpc.runs.trace.queryOptions({ id }), refetchInterval: 5000 });
  const replay = useMutation(
    trpc.deadLetters.replay.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.runs.trace.queryKey({ id }) }),
    }),
  );
  if (trace.isPending) return <Loading />;
  if (trace.error) return <Alert>{errorMessage(trace.error)}</Alert>;
  const t = trace.data;
  const doc = t.document as WorkflowDocumentInput | null;
  const nodes = byId(doc);
  const states: Record<string, NodeState> = {};
  for (const e of t.entries)
    states[e.nodeId] = e.detail && 'error' in e.detail ? 'error' : e.output ? 'taken' : 'waiting';
  return (
    <>
      <p className="muted small">
        <Link to="/app/runs">Runs</Link> › trace
      </p>
      <h1>
        {t.workflowName} <span className="muted">v{t.version}</span>
      </h1>
      <p>
        User <code>{t.userId}</code> · started {new Date(t.startedAt).toLocaleString()} ·{' '}
        <Badge tone={runBadge(t.status, t.outcome).tone}>{runBadge(t.status, t.outcome).text}</Badge>{' '}
        {t.outcome !== 'no_actions' ? (
          <Badge tone={OUTCOME[t.outcome].tone}>actions {OUTCOME[t.outcome].text}</Badge>
        ) : null}
      </p>
      {t.error ? <Alert>{t.error}</Alert> : null}
      <div className="trace">
        {doc && mounted ? (
          <Suspense fallback={<Loading label="Drawing the flow…" />}>
            <ReadOnlyFlow document={doc} states={states} label="The flow at this version, with the path taken" />
          </Suspense>
        ) : null}
        <Card title="What happened">
          <ol className="timeline" aria-label="Timeline">
            {t.entries.map((e, i) => {
              // One line per path entry, in the words the test run and the run list use.
              const line = t.story.lines[i];
              const read = e.detail?.read && typeof e.detail.read === 'object' ? Object.entries(e.detail.read) : [];
              return (
                <li key={`${e.nodeId}-${i}`} className={`timeline__entry timeline__entry--${states[e.nodeId]}`}>
                  <div className="timeline__when">{new Date(e.at).toLocaleTimeString()}</div>
                  <div>
                    <strong>{line?.node ?? nodeName(nodes.get(e.nodeId), e.nodeId)}</strong> {line?.text}
                    {read.length ? (
                      <ul className="timeline__values" aria-label="Values read">
                        {read.map(([path, value]) => (
                          <li key={path}>
                            <code>{path}</code> = <code>{JSON.stringify(value) ?? 'not set'}</code>
                          </li>
                        ))}
                      </ul>
                    ) : null}
                    {e.lateMs !== undefined ? (
                      <div className="muted small">
                        due {new Date(e.scheduledFor ?? e.at).toLocaleString()}, resumed{' '}
                        {e.lateMs < 1000 ? `${e.lateMs} ms` : `${(e.lateMs / 1000).toFixed(1)} s`} later
                      </div>
                    ) : null}
                    {e.attempts?.length ? (
                      <table className="table table--compact" aria-label="Delivery attempts">
                        <thead>
                          <tr>
                            <th>Attempt</th>
                            <th>At</th>
                            <th>Outcome</th>
                            <th>HTTP</th>
                            <th>Took</th>
                            <th>Answer</th>
                          </tr>
                        </thead>
                        <tbody>
                          {e.attempts.map((a) => (
                            <tr key={a.attempt}>
                              <td>{a.attempt}</td>
                              <td className="nowrap">{new Date(a.at).toLocaleTimeString()}</td>
                              <td>{a.error ? `${a.outcome}: ${a.error}` : a.outcome}</td>
                              <td>{a.httpStatus ?? '—'}</td>
                              <td>{a.latencyMs === null ? '—' : `${a.latencyMs} ms`}</td>
                              <td>
                                <code className="excerpt">{a.response ?? ''}</code>
                              </td>
                            </tr>
                          ))}
                        </tbody>
                      </table>
                    ) : e.detail?.actionId ? (
                      <div className="muted small">queued; no attempt yet</div>
                    ) : null}
                  </div>
                </li>
              );
            })}
          </ol>
          {t.story.ending.length ? <p className="story__ending">{t.story.ending.join(' ')}</p> : null}
          {t.deadLetters.map((d) => (
            <Alert key={d.id}>
              <strong>{nodeName(nodes.get(d.nodeId ?? ''), d.nodeId ?? '')}</strong> failed for good: {d.error}.{' '}
              {d.replayedAt ? (
                'Replayed.'
              ) : d.discardedAt ? (
                'Discarded.'
              ) : can(me, 'editor') ? (
                <Button onClick={() => replay.mutate({ ids: [d.id] })} busy={replay.isPending}>
                  Replay
                </Button>
              ) : null}
            </Alert>
          ))}
          {replay.error ? <Alert>{errorMessage(replay.error)}</Alert> : null}
        </Card>
      </div>
    </>
  );
}
