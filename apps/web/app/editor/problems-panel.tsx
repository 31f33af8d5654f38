import { nodeNames } from '@tripwire/rules';
import { useMemo } from 'react';
import { useEditorStore } from './editor-context';
import { useErrors } from './validation';

/** Every validation error; clicking one selects its node. Publish stays disabled while any exist. */
export function ProblemsPanel() {
  const errors = useErrors();
  const select = useEditorStore((s) => s.select);
  const revision = useEditorStore((s) => s.revision);
  const document = useEditorStore((s) => s.document);
  const name = useMemo(() => nodeNames(document()), [revision, document]);
  if (errors.length === 0) return <p className="problems problems--ok">No problems: ready to publish.</p>;
  return (
    <section className="problems" aria-label="Problems">
      <h3>
        {errors.length} problem{errors.length === 1 ? '' : 's'}
      </h3>
      <ul>
        {errors.map((e, i) => (
          <li key={`${e.code}-${e.nodeId ?? e.edgeId ?? ''}-${i}`}>
            <button
              type="button"
              className="problems__item"
              disabled={!e.nodeId}
              onClick={() => e.nodeId && select(e.nodeId)}
            >
              {e.nodeId ? <strong>{name(e.nodeId)}:</strong> : null} {e.message}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
