import { builtinRegistry, NODE_KINDS } from '@tripwire/rules';
import { useMemo, useState } from 'react';
import { useEditorStore } from './editor-context';
import { RichText } from './rich-text';

export const DRAG_TYPE = 'application/x-tripwire-node';

const KIND_LABEL: Record<string, string> = {
  trigger: 'Triggers',
  condition: 'Conditions',
  wait: 'Waits',
  control: 'Control',
  action: 'Actions',
};

/**
 * Generated from the node registry: a new node type appears here, grouped by kind, with no editor
 * change. Drag onto the canvas, or press Enter / click to add it under the selection, connected.
 */
export function Palette({ onAdd, onCollapse }: { onAdd(type: string): void; onCollapse(): void }) {
  const [query, setQuery] = useState('');
  const readOnly = useEditorStore((s) => s.readOnly);
  const groups = useMemo(() => {
    const q = query.trim().toLowerCase();
    const latest = new Map(builtinRegistry.list().map((t) => [t.type, builtinRegistry.latest(t.type)]));
    const types = [...latest.values()].filter(
      (t) => t && (!q || `${t.label} ${t.description} ${t.type}`.toLowerCase().includes(q)),
    );
    return NODE_KINDS.map((kind) => ({ kind, types: types.filter((t) => t?.kind === kind) })).filter(
      (g) => g.types.length > 0,
    );
  }, [query]);

  if (readOnly) return null;
  return (
    <aside className="palette" aria-label="Node palette">
      <div className="palette__head">
        <h2>Nodes</h2>
        <button type="button" className="panel__collapse" onClick={onCollapse} aria-label="Hide the node palette">
          ‹
        </button>
      </div>
      <input
        className="palette__search"
        type="search"
        placeholder="Search nodes"
        aria-label="Search nodes"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      {groups.map((group) => (
        <section key={group.kind}>
          <h3>{KIND_LABEL[group.kind] ?? group.kind}</h3>
          <ul>
            {group.types.map((t) =>
              t ? (
                <li key={t.type}>
                  <button
                    type="button"
                    className={`palette__item palette__item--${t.kind}`}
                    draggable
                    onDragStart={(e) => {
                      e.dataTransfer.setData(DRAG_TYPE, t.type);
                      e.dataTransfer.effectAllowed = 'move';
                    }}
                    onClick={() => onAdd(t.type)}
                    aria-describedby={`palette-${t.type}`}
                  >
                    <span className="visually-hidden">Add </span>
                    <strong>{t.label}</strong>
                    {/* The description is the button's description, not part of its name. */}
                    <span id={`palette-${t.type}`} aria-hidden="true">
                      <RichText text={t.description} />
                    </span>
                  </button>
                </li>
              ) : null,
            )}
          </ul>
        </section>
      ))}
      {groups.length === 0 ? <p className="muted">No node matches “{query}”.</p> : null}
    </aside>
  );
}
