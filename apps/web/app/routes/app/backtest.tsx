import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { WorkflowDocumentInput } from '@tripwire/rules';
import { Alert, Button, Card, Loading } from '@tripwire/ui';
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { FlowCounts } from '../../flow-view/read-only-flow';
import { errorMessage, useTRPC } from '../../lib/trpc';

const ReadOnlyFlow = lazy(() => import('../../flow-view/read-only-flow').then((m) => ({ default: m.ReadOnlyFlow })));

type NodeCounts = Record<string, { entered: number; outputs: Record<string, number> }>;

/** A backtest side's per-node counts as the canvas overlay reads them. */
export function flowCounts(nodes: NodeCounts): FlowCounts {
  return {
    nodes: Object.entries(nodes).map(([nodeId, c]) => ({
      nodeId,
      entered: c.entered,
      left: Object.values(c.outputs).reduce((a, b) => a + b, 0),
    })),
    outputs: Object.entries(nodes).flatMap(([nodeId, c]) =>
      Object.entries(c.outputs).map(([output, count]) => ({ nodeId, output, count })),
    ),
  };
}

export function meta() {
  return [{ title: 'Backtest · Tripwire' }];
}

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

/** "What would this draft have done over the last N days?" — draft against live, on the canvas. */
export default function Backtest() {
  const { id = '' } = useParams();
  const trpc = useTRPC();
  const client = useQueryClient();
  const [days, setDays] = useState(7);
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const workflow = useQuery(trpc.workflows.get.queryOptions({ id }));
  const latest = useQuery({
    ...trpc.history.latestBacktest.queryOptions({ workflowId: id }),
    refetchInterval: (q) => (q.state.data && ['queued', 'running'].includes(q.state.data.status) ? 1000 : false),
  });
  const refresh = () =>
    client.invalidateQueries({ queryKey: trpc.history.latestBacktest.queryKey({ workflowId: id }) });
  const start = useMutation(trpc.history.startBacktest.mutationOptions({ onSuccess: refresh }));
  const cancel = useMutation(trpc.history.cancelBacktest.mutationOptions({ onSuccess: refresh }));
  const bt = latest.data;
  const draft = bt?.result?.draft;
  const live = bt?.result?.live;
  const counts = useMemo(() => (draft ? flowCounts(draft.nodes) : null), [draft]);
  const running = bt && ['queued', 'running'].includes(bt.status);
  const perDay = (n: number) =>
    bt ? (n / Math.max(1, (Date.parse(bt.to) - Date.parse(bt.from)) / 86_400_000)).toFixed(1) : '0';
  return (
    <>
      <p className="muted small">
        <Link to={`/app/workflows/${id}`}>{workflow.data?.name ?? 'Workflow'}</Link> › backtest
      </p>
      <h1>Backtest the draft</h1>
      <p>Replays the kept event history through the draft and the live version side by side. Nothing is sent.</p>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          start.mutate({ workflowId: id, days });
        }}
      >
        <label>
          Over the last{' '}
          <input
            type="number"
            min={1}
            max={90}
            name="days"
            value={days}
            onChange={(e) => setDays(Number(e.target.value))}
          />{' '}
          days
        </label>
        <Button type="submit" disabled={Boolean(running) || start.isPending}>
          Run backtest
        </Button>
        {running && bt ? (
          <Button type="button" onClick={() => cancel.mutate({ id: bt.id })}>
            Cancel
          </Button>
        ) : null}
      </form>
      {start.error ? <Alert>{errorMessage(start.error)}</Alert> : null}
      {bt ? (
        <Card>
          <p>
            Backtest {new Date(bt.from).toLocaleDateString()} – {new Date(bt.to).toLocaleDateString()}:{' '}
            <strong>{bt.status}</strong>
            {bt.error ? ` — ${bt.error}` : ''}
          </p>
          <progress max={1} value={bt.progress} aria-label="Backtest progress" /> {Math.round(bt.progress * 100)}%
          {draft ? (
            <>
              <p data-testid="backtest-summary">
                Draft: {draft.usersEntered} users entered, {draft.actions} actions ({perDay(draft.actions)}/day).{' '}
                {live
                  ? `Live (v${bt.liveVersion}): ${live.usersEntered} users, ${live.actions} actions (${perDay(live.actions)}/day).`
                  : 'Nothing is live.'}
              </p>
              {(bt.result?.notes ?? []).map((note) => (
                <p key={note} className="small muted" role="note">
                  {note}
                </p>
              ))}
              <table className="table" aria-label="Counts per node">
                <thead>
                  <tr>
                    <th>Node</th>
                    <th>Draft</th>
                    <th>Live</th>
                    <th>Difference</th>
                  </tr>
                </thead>
                <tbody>
                  {Object.entries(draft.nodes).map(([nodeId, c]) => (
                    <tr key={nodeId}>
                      <td>{nodeId}</td>
                      <td>{c.entered}</td>
                      <td>{live?.nodes[nodeId]?.entered ?? '—'}</td>
                      <td>{signed(bt.result?.difference[nodeId]?.entered ?? 0)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <p className="small">
                Sample users who entered:{' '}
                {draft.samples.entered.map((u) => (
                  <Link key={u} to={`/app/workflows/${id}/why?userId=${encodeURIComponent(u)}`}>
                    {u}{' '}
                  </Link>
                ))}
              </p>
            </>
          ) : null}
        </Card>
      ) : latest.isPending ? (
        <Loading />
      ) : null}
      {workflow.data && counts && mounted ? (
        <Suspense fallback={<Loading label="Drawing the flow…" />}>
          <ReadOnlyFlow
            document={workflow.data.draft as WorkflowDocumentInput}
            counts={counts}
            label="The draft with the runs the backtest sent into and out of each node"
          />
        </Suspense>
      ) : null}
    </>
  );
}
