import { builtinRegistry, type ChangeLine, nodeNames, type WorkflowDocumentInput } from '@tripwire/rules';
import { Dialog } from '@tripwire/ui';
import { RichText } from './rich-text';

/** Before a flow goes live: what changes for the people it runs for, against the live version. */
export function PublishReview({
  open,
  live,
  liveVersion,
  draft,
  changes,
  busy,
  onPublish,
  onClose,
}: {
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
  return (
    <Dialog
      open={open}
      wide
      title={live ? `Publish the changes since v${liveVersion}?` : 'Publish this workflow?'}
      confirmLabel="Publish now"
      busy={busy}
      onConfirm={onPublish}
      onClose={onClose}
    >
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
