import { useQuery } from '@tanstack/react-query';
import { Alert, Badge, Button, Card, EmptyState, Loading } from '@tripwire/ui';
import { type FormEvent, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { errorMessage, useTRPC } from '../../lib/trpc';

export function meta() {
  return [{ title: 'Why (not)? · Tripwire' }];
}

/**
 * "Why didn't this user trigger?": pick a user (and optionally a time range); their kept events
 * replayed through the version live at each event's time, told event by event.
 */
export default function Why() {
  const { id = '' } = useParams();
  const trpc = useTRPC();
  const [params, setParams] = useSearchParams();
  const userId = params.get('userId') ?? '';
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const [draft, setDraft] = useState({ userId, from, to });
  const workflow = useQuery(trpc.workflows.get.queryOptions({ id }));
  const explain = useQuery({
    ...trpc.history.explain.queryOptions({
      workflowId: id,
      userId,
      ...(from ? { from: new Date(from) } : {}),
      ...(to ? { to: new Date(to) } : {}),
    }),
    enabled: userId !== '',
    retry: false,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const next = new URLSearchParams();
    if (draft.userId.trim()) next.set('userId', draft.userId.trim());
    if (draft.from) next.set('from', draft.from);
    if (draft.to) next.set('to', draft.to);
    setParams(next);
  };
  const x = explain.data;
  return (
    <>
      <p className="muted small">
        <Link to={`/app/workflows/${id}`}>{workflow.data?.name ?? 'Workflow'}</Link> › why (not)?
      </p>
      <h1>Why didn't this user trigger?</h1>
      <form onSubmit={submit} className="inline-form" aria-label="Explain a user">
        <label>
          User id{' '}
          <input
            name="userId"
            value={draft.userId}
            onChange={(e) => setDraft({ ...draft, userId: e.target.value })}
            required
          />
        </label>
        <label>
          From{' '}
          <input
            type="datetime-local"
            name="from"
            value={draft.from}
            onChange={(e) => setDraft({ ...draft, from: e.target.value })}
          />
        </label>
        <label>
          To{' '}
          <input
            type="datetime-local"
            name="to"
            value={draft.to}
            onChange={(e) => setDraft({ ...draft, to: e.target.value })}
          />
        </label>
        <Button type="submit">Explain</Button>
      </form>
      {explain.error ? <Alert>{errorMessage(explain.error)}</Alert> : null}
      {explain.isFetching ? <Loading label="Replaying the user's events…" /> : null}
      {x ? (
        <>
          {x.differences.length > 0 ? (
            <Alert>
              The replay differs from what the engine recorded (a bug; please report it):
              <ul>
                {x.differences.map((d) => (
                  <li key={d}>{d}</li>
                ))}
              </ul>
            </Alert>
          ) : null}
          <Card>
            <h2>Runs</h2>
            {x.runs.length === 0 ? (
              <p>No run started for this user in this range.</p>
            ) : (
              <ul aria-label="Runs">
                {x.runs.map((r) => (
                  <li key={r.id}>
                    {r.id} on v{r.version}, {r.status}, started {new Date(r.startedAt).toLocaleString()}{' '}
                    {r.trace ? <Link to={r.trace}>trace</Link> : <Badge>not recorded by the engine</Badge>}
                  </li>
                ))}
              </ul>
            )}
          </Card>
          <Card>
            <h2>
              Events{' '}
              <span className="muted">
                ({x.events.length}, kept {x.retentionDays} days)
              </span>
            </h2>
            {x.events.length === 0 ? (
              <EmptyState title="No events in this range" />
            ) : (
              <ol aria-label="Events" className="why-events">
                {x.events.map((e) => (
                  <li key={`${e.messageId}-${e.at}`}>
                    <strong>{e.name}</strong> <span className="muted small">{new Date(e.at).toLocaleString()}</span>{' '}
                    {e.version === null ? <Badge>unpublished</Badge> : <Badge>v{e.version}</Badge>}
                    <ul>
                      {e.lines.map((line) => (
                        <li key={line}>{line}</li>
                      ))}
                      {e.inRuns.map((r) => (
                        <li key={r.runId} className="muted">
                          Already in {r.runId}
                          {r.waiting
                            ? `, waiting for "${r.waiting.event}" until ${new Date(r.waiting.until).toLocaleString()}`
                            : ''}
                        </li>
                      ))}
                    </ul>
                  </li>
                ))}
              </ol>
            )}
          </Card>
        </>
      ) : null}
    </>
  );
}
