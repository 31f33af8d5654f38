import { useQuery } from '@tanstack/react-query';
import { Alert, Badge, Button, Card, Loading } from '@tripwire/ui';
import { errorMessage, useTRPC } from '../lib/trpc';
import { ACTION_VERB, actionLabel, ErrorText, REPLAY_LABEL, STATE_LABEL, when } from './labels';

/** One dead letter opened: what failed, its payload with secrets hidden, and who did what to it. */
export function DeadLetterDetail({
  id,
  canAct,
  busy,
  onReplay,
  onDiscard,
  onClose,
}: {
  id: string;
  canAct: boolean;
  busy: boolean;
  onReplay(): void;
  onDiscard(): void;
  onClose(): void;
}) {
  const trpc = useTRPC();
  const letter = useQuery({ ...trpc.deadLetters.get.queryOptions({ id }), refetchInterval: 3000 });
  const d = letter.data;
  return (
    <Card
      title="Dead letter"
      actions={
        <Button variant="ghost" onClick={onClose}>
          Close
        </Button>
      }
    >
      {letter.isPending ? <Loading /> : null}
      {letter.error ? <Alert>{errorMessage(letter.error)}</Alert> : null}
      {d ? (
        <div className="dl-detail">
          <dl className="facts">
            <dt>Workflow</dt>
            <dd>
              {d.workflowName ?? 'Deleted workflow'} <span className="muted">· node {d.nodeId ?? '—'}</span>
            </dd>
            <dt>Action</dt>
            <dd>{actionLabel(d.queue)}</dd>
            <dt>Failed</dt>
            <dd>
              {when(d.failedAt)} after {d.attempts} {d.attempts === 1 ? 'attempt' : 'attempts'}
            </dd>
            <dt>Last error</dt>
            <dd>
              <ErrorText error={d.error} />
            </dd>
            <dt>Status</dt>
            <dd>
              <Badge tone={d.state === 'open' ? 'red' : d.state === 'replayed' ? 'blue' : 'neutral'}>
                {STATE_LABEL[d.state]}
              </Badge>{' '}
              {d.replayState ? <span data-testid="replay-state">{REPLAY_LABEL[d.replayState]}</span> : null}
            </dd>
            <dt>Action id</dt>
            <dd>
              <code>{d.actionId}</code> <span className="muted">(the webhook-id receivers see)</span>
            </dd>
          </dl>
          {canAct && d.state === 'open' ? (
            <div className="actions">
              <Button variant="primary" busy={busy} onClick={onReplay}>
                Replay
              </Button>
              <Button variant="secondary" busy={busy} onClick={onDiscard}>
                Discard
              </Button>
            </div>
          ) : null}
          <h3>Payload</h3>
          <p className="muted">Header values and anything that looks like a credential are hidden.</p>
          <section aria-label="Payload">
            <pre className="json">{JSON.stringify(d.data, null, 2)}</pre>
          </section>
          <h3>History</h3>
          <ul className="plain" aria-label="History">
            {d.trail.map((t) => (
              <li key={`${t.action}-${String(t.at)}`}>
                {when(t.at)} — <strong>{t.actor}</strong> {ACTION_VERB[t.action] ?? t.action} it
                {(t.details as { note?: string } | null)?.note ? ` (“${(t.details as { note: string }).note}”)` : ''}
              </li>
            ))}
            <li>
              {when(d.failedAt)} — filed after {d.attempts} failed {d.attempts === 1 ? 'attempt' : 'attempts'}
            </li>
          </ul>
        </div>
      ) : null}
    </Card>
  );
}
