import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, EmptyState, Loading } from '@tripwire/ui';
import { useDeferredValue, useState } from 'react';
import { DeadLetterDetail } from '../../dead-letters/detail';
import { DeadLetterFilters, type Filters, NO_FILTERS } from '../../dead-letters/filters';
import { ACTION_VERB, when } from '../../dead-letters/labels';
import { LettersTable } from '../../dead-letters/letters-table';
import { can, useMe } from '../../lib/me';
import { errorMessage, useTRPC } from '../../lib/trpc';
import '../../observability.css';

export function meta() {
  return [{ title: 'Dead letters · Tripwire' }];
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export default function DeadLetters() {
  const me = useMe();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canAct = can(me, 'editor');
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const deferred = useDeferredValue(filters);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [opened, setOpened] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const input = {
    state: deferred.state,
    ...(deferred.workflowId ? { workflowId: deferred.workflowId } : {}),
    ...(deferred.queue ? { queue: deferred.queue } : {}),
    ...(deferred.error.trim() ? { error: deferred.error.trim() } : {}),
  };
  const letters = useQuery({
    ...trpc.deadLetters.list.queryOptions(input),
    refetchInterval: 5000,
    placeholderData: keepPreviousData,
  });
  const facets = useQuery({ ...trpc.deadLetters.facets.queryOptions(), refetchInterval: 15_000 });
  const activity = useQuery({ ...trpc.deadLetters.activity.queryOptions(), refetchInterval: 15_000 });
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.deadLetters.pathKey() });

  const report = (verb: string) => (r: { done: unknown[]; skipped: { reason: string }[] }) => {
    const skipped = r.skipped.length ? `; ${plural(r.skipped.length, 'was', 'were')} already handled` : '';
    setNotice(`${verb} ${plural(r.done.length, 'dead letter')}${skipped}.`);
    setSelected(new Set());
    void refresh();
  };
  const replay = useMutation(trpc.deadLetters.replay.mutationOptions({ onSuccess: report('Replayed') }));
  const discard = useMutation(trpc.deadLetters.discard.mutationOptions({ onSuccess: report('Discarded') }));
  const busy = replay.isPending || discard.isPending;
  const confirmDiscard = (ids: string[]) => {
    if (window.confirm(`Discard ${plural(ids.length, 'dead letter')}? They will not be delivered.`))
      discard.mutate({ ids });
  };

  const rows = letters.data ?? [];
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const toggleAll = () => {
    const open = rows.filter((l) => l.state === 'open').map((l) => l.id);
    setSelected((s) => (open.every((id) => s.has(id)) ? new Set() : new Set(open)));
  };
  const ids = [...selected];
  const names = new Map((facets.data?.workflows ?? []).map((w) => [w.id, w.name]));
  const workflowName = (details: unknown) => names.get((details as { workflowId?: string } | null)?.workflowId ?? '');

  return (
    <>
      <h1>Dead letters</h1>
      <p className="lede">
        Actions that failed for good: a receiver kept answering with an error or refused the request. Inspect one, fix
        the cause, then replay it (same webhook-id, so receivers can deduplicate) or discard it.
      </p>
      {notice ? <Alert tone="success">{notice}</Alert> : null}
      {replay.error || discard.error ? <Alert>{errorMessage(replay.error ?? discard.error)}</Alert> : null}
      <div className={opened ? 'split' : undefined}>
        <Card
          title={
            facets.data
              ? `${plural(facets.data.open, 'dead letter')} ${facets.data.open === 1 ? 'needs' : 'need'} attention`
              : 'Dead letters'
          }
          actions={
            canAct ? (
              <div className="actions">
                <Button
                  variant="primary"
                  disabled={ids.length === 0}
                  busy={replay.isPending}
                  onClick={() => replay.mutate({ ids })}
                >
                  Replay selected ({ids.length})
                </Button>
                <Button
                  variant="secondary"
                  disabled={ids.length === 0}
                  busy={discard.isPending}
                  onClick={() => confirmDiscard(ids)}
                >
                  Discard selected ({ids.length})
                </Button>
              </div>
            ) : (
              <span className="muted">Viewers can inspect; editors replay and discard.</span>
            )
          }
        >
          <DeadLetterFilters
            value={filters}
            onChange={(next) => {
              setFilters(next);
              setSelected(new Set());
            }}
            workflows={facets.data?.workflows ?? []}
            queues={facets.data?.queues ?? []}
          />
          {letters.isPending ? <Loading /> : null}
          {letters.error ? <Alert>{errorMessage(letters.error)}</Alert> : null}
          {letters.data && rows.length === 0 ? (
            <EmptyState title={filters.state === 'open' ? 'Nothing needs attention' : 'No dead letters match'}>
              <p>Actions that fail for good after their retries appear here.</p>
            </EmptyState>
          ) : null}
          {rows.length > 0 ? (
            <LettersTable
              letters={rows}
              selected={selected}
              selectable={canAct}
              onToggle={toggle}
              onToggleAll={toggleAll}
              onOpen={setOpened}
            />
          ) : null}
        </Card>
        {opened ? (
          <DeadLetterDetail
            id={opened}
            canAct={canAct}
            busy={busy}
            onReplay={() => replay.mutate({ ids: [opened] })}
            onDiscard={() => confirmDiscard([opened])}
            onClose={() => setOpened(null)}
          />
        ) : null}
      </div>
      <Card title="Recent activity">
        {activity.data && activity.data.length === 0 ? (
          <p className="muted">Nobody has replayed or discarded anything yet.</p>
        ) : null}
        <ul className="plain" aria-label="Recent activity">
          {(activity.data ?? []).map((a) => (
            <li key={`${a.subjectId}-${a.action}-${String(a.at)}`}>
              {when(a.at)} — <strong>{a.actor}</strong> {ACTION_VERB[a.action] ?? a.action} a dead letter
              {workflowName(a.details) ? ` of ${workflowName(a.details)}` : ''}
            </li>
          ))}
        </ul>
      </Card>
    </>
  );
}
