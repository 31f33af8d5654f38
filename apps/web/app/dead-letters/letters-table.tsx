import { Badge } from '@tripwire/ui';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../../src/trpc/router.ts';
import { ACTION_VERB, actionLabel, ErrorText, REPLAY_LABEL, STATE_LABEL, shortActor, when } from './labels';

export type Letter = inferRouterOutputs<AppRouter>['deadLetters']['list'][number];

const TONE = { open: 'red', replayed: 'blue', discarded: 'neutral' } as const;

export function LettersTable({
  letters,
  selected,
  selectable,
  onToggle,
  onToggleAll,
  onOpen,
}: {
  letters: Letter[];
  selected: ReadonlySet<string>;
  selectable: boolean;
  onToggle(id: string): void;
  onToggleAll(): void;
  onOpen(id: string): void;
}) {
  const open = letters.filter((l) => l.state === 'open');
  return (
    <div className="table-scroll">
      <table className="table" aria-label="Dead letters">
        <thead>
          <tr>
            {selectable ? (
              <th>
                <input
                  type="checkbox"
                  aria-label="Select all that need attention"
                  checked={open.length > 0 && open.every((l) => selected.has(l.id))}
                  disabled={open.length === 0}
                  onChange={onToggleAll}
                />
              </th>
            ) : null}
            <th>Failed</th>
            <th>Workflow</th>
            <th>Error</th>
            <th>Status</th>
            <th>
              <span className="visually-hidden">Inspect</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {letters.map((l) => (
            <tr key={l.id} data-state={l.state}>
              {selectable ? (
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Select the dead letter of ${l.workflowName ?? 'a deleted workflow'} from ${when(l.failedAt)}`}
                    checked={selected.has(l.id)}
                    disabled={l.state !== 'open'}
                    onChange={() => onToggle(l.id)}
                  />
                </td>
              ) : null}
              <td>{when(l.failedAt)}</td>
              <td>
                {l.workflowName ?? <span className="muted">Deleted workflow</span>}
                <div className="muted">
                  {actionLabel(l.queue)} · {l.nodeId ?? '—'}
                </div>
              </td>
              <td className="dl-error">
                <ErrorText error={l.error} />
                <div className="muted">
                  after {l.attempts} {l.attempts === 1 ? 'attempt' : 'attempts'}
                </div>
              </td>
              <td>
                <Badge tone={TONE[l.state]}>{STATE_LABEL[l.state]}</Badge>
                {l.replayState ? <div className="muted">{REPLAY_LABEL[l.replayState]}</div> : null}
                {l.lastAction ? (
                  <div className="muted">
                    {ACTION_VERB[l.lastAction.action] ?? l.lastAction.action} by{' '}
                    <span title={l.lastAction.actor}>{shortActor(l.lastAction.actor)}</span>, {when(l.lastAction.at)}
                  </div>
                ) : null}
              </td>
              <td>
                <button type="button" className="tw-button tw-button--ghost" onClick={() => onOpen(l.id)}>
                  Inspect
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
