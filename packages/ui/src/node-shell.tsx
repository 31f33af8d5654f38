import { Handle, Position } from '@xyflow/react';
import type { ReactNode } from 'react';

export interface NodeShellProps {
  kind: string;
  /** The node's own name, or its type's label. */
  label: string;
  /** The type's label when the node has a name of its own ("Call a webhook" under "Tell sales"). */
  typeLabel?: string | undefined;
  /** Buttons shown on the selected node (delete). */
  actions?: ReactNode;
  summary?: ReactNode;
  /** Named outputs; a single output is drawn unlabelled. */
  outputs: readonly string[];
  hasInput: boolean;
  selected?: boolean;
  errors?: string[];
  state?: 'taken' | 'waiting' | 'error' | 'removed' | 'changed' | undefined;
  detail?: ReactNode;
}

/** The one node shell every node type renders through: kind colour, title, summary, handles. */
export function NodeShell({
  kind,
  label,
  typeLabel,
  actions,
  summary,
  outputs,
  hasInput,
  selected,
  errors = [],
  state,
  detail,
}: NodeShellProps) {
  const classes = [
    'tw-node',
    `tw-node--${kind}`,
    selected ? 'is-selected' : '',
    errors.length ? 'has-errors' : '',
    state ? `is-${state}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <div className={classes} data-state={state} aria-invalid={errors.length > 0 || undefined}>
      {hasInput ? <Handle type="target" position={Position.Top} /> : null}
      <div className="tw-node__kind">
        {kind}
        {typeLabel ? <span className="tw-node__type"> · {typeLabel}</span> : null}
      </div>
      <div className="tw-node__label">{label}</div>
      {actions ? <div className="tw-node__actions">{actions}</div> : null}
      {summary ? <div className="tw-node__summary">{summary}</div> : null}
      {detail ? <div className="tw-node__detail">{detail}</div> : null}
      {errors.length ? (
        <div className="tw-node__errors" role="note" title={errors.join('\n')}>
          ⚠ {errors.length === 1 ? errors[0] : `${errors.length} problems`}
        </div>
      ) : null}
      <div className="tw-node__outputs">
        {outputs.map((output, i) => (
          <div key={output} className="tw-node__output" style={{ left: `${((i + 1) / (outputs.length + 1)) * 100}%` }}>
            {outputs.length > 1 ? <span className="tw-node__output-label">{output}</span> : null}
            <Handle type="source" position={Position.Bottom} id={output} title={`${label}: ${output}`} />
          </div>
        ))}
      </div>
    </div>
  );
}
