import { builtinRegistry, type ChangeLine, nodeNames, type WorkflowDocumentInput } from '@tripwire/rules';
import { Dialog } from '@tripwire/ui';
import { useEffect, useState } from 'react';
import { type Foresight, perDay } from './foresight';
import { RichText } from './rich-text';

/** Before a flow goes live: what changes for the people it runs for, against the live version. */
export function PublishReview({
  open,
  live,
  liveVersion,
  draft,
  changes,
  busy,
  foresight,
  onPublish,
  onClose,
}: {
  /** From a recent backtest of this draft, when there is one. */
  foresight?: Foresight | null;
  open: boolean;
  live: WorkflowDocumentInput | null;
  liveVersion: number | null;
  draft: WorkflowDocumentInput;
  changes: ChangeLine[];
  busy: boolean;
  onPublish(): void;
  onClose(): void;
}) {
  const name = nodeNames(draft);
  const [volumeOk, setVolumeOk] = useState(false);
  useEffect(() => {
    if (open) setVolumeOk(false);
  }, [open]);
  return (
    <Dialog
      open={open}
      wide
      title={live ? `Publish the changes since v${liveVersion}?` : 'Publish this workflow?'}
      confirmLabel="Publish now"
      busy={busy}
      confirmDisabled={Boolean(foresight?.needsConfirmation) && !volumeOk}
      onConfirm={onPublish}
      onClose={onClose}
    >
      {foresight ? (
        <p data-testid="publish-foresight">
          From its backtest, this draft would have fired {perDay(foresight.draftPerDay)} actions/day
          {foresight.livePerDay !== null ? ` (live: ${perDay(foresight.livePerDay)})` : ''}.
        </p>
      ) : null}
      {foresight?.needsConfirmation ? (
        <label className="warning">
          <input type="checkbox" checked={volumeOk} onChange={(e) => setVolumeOk(e.target.checked)} /> That is 10 times
          the live version's actions or more; I expect that
        </label>
      ) : null}
      {live ? (
        changes.length === 0 ? (
          <p>The draft is the same as the live version v{liveVersion}; publishing makes a new version of it.</p>
        ) : (
          <>
            <p>These changes go live for every matching event within a second:</p>
            <ul className="changes" aria-label="Changes since the live version">
              {changes.map((c, i) => (
                <li key={i} className={`changes__${c.kind}`}>
                  <RichText text={c.text} />
                  {c.before !== undefined ? (
                    <>
                      : <del>{c.before}</del> → <ins>{c.after}</ins>
                    </>
                  ) : null}
                </li>
              ))}
            </ul>
          </>
        )
      ) : (
        <>
          <p>It starts running for every matching event within a second:</p>
          <ul className="changes" aria-label="What goes live">
            {draft.nodes.map((n) => {
              const summary = builtinRegistry.get(n.type, n.version ?? 1)?.summary(n.config) ?? '';
              return (
                <li key={n.id}>
                  <strong>{name(n.id)}</strong> <RichText text={summary} />
                </li>
              );
            })}
          </ul>
        </>
      )}
    </Dialog>
  );
}
