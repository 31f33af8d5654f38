import { builtinRegistry, nodeUpgrade } from '@tripwire/rules';
import { Button } from '@tripwire/ui';
import { useMemo } from 'react';
import { ConditionBuilder } from './condition-builder';
import { useEditorStore } from './editor-context';
import {
  DurationControl,
  IntegerControl,
  KeyValueControl,
  SelectControl,
  TemplateControl,
  TextControl,
} from './field-controls';
import { conditionFields, useSuggestions } from './suggestions';
import { useErrors } from './validation';

/**
 * The selected node's form, generated from its type's field metadata: a new node type gets a
 * working form with no editor code. Errors come from the same validation as publish.
 */
export function ConfigPanel() {
  // Select store slices that keep their identity between unrelated updates; derive the rest here.
  const { nodes, readOnly, updateConfig, upgrade } = useEditorStore((s) => ({
    nodes: s.nodes,
    readOnly: s.readOnly,
    updateConfig: s.updateConfig,
    upgrade: s.upgrade,
  }));
  const selected = nodes.filter((n) => n.selected);
  const node = selected.length === 1 ? selected[0] : undefined;
  const triggerEvents = nodes
    .filter((n) => builtinRegistry.get(n.data.type, n.data.version)?.kind === 'trigger')
    .map((n) => String(n.data.config.event ?? ''))
    .join('\u0000');
  const errors = useErrors();
  const suggestions = useSuggestions();
  const fields = useMemo(
    () => conditionFields(suggestions, triggerEvents ? triggerEvents.split('\u0000') : []),
    [suggestions, triggerEvents],
  );
  if (!node) {
    return (
      <aside className="panel" aria-label="Node settings">
        <p className="muted">
          Select a node to edit it. Drag nodes from the palette, connect an output (bottom) to the next node (top).
        </p>
      </aside>
    );
  }
  const nodeType = builtinRegistry.get(node.data.type, node.data.version);
  if (!nodeType) return <aside className="panel">Unknown node type {node.data.type}</aside>;
  const fieldError = (key: string) =>
    errors.find((e) => e.nodeId === node.id && e.path.includes('config') && e.path.includes(key))?.message;
  const set = (key: string, value: unknown) => {
    const config = { ...node.data.config };
    if (value === undefined) delete config[key];
    else config[key] = value;
    updateConfig(node.id, config);
  };

  return (
    <aside className="panel" aria-label="Node settings">
      <h2>{nodeType.label}</h2>
      <p className="muted">{nodeType.description}</p>
      <p className="muted small">
        id <code>{node.id}</code>
      </p>
      {!readOnly && nodeUpgrade(builtinRegistry, node.data) ? (
        <p className="small">
          A newer version of this node exists (v{builtinRegistry.latest(node.data.type)?.version}).{' '}
          <Button variant="ghost" onClick={() => upgrade(node.id)}>
            Upgrade
          </Button>
        </p>
      ) : null}
      <datalist id="event-names">
        {suggestions.events.map((e) => (
          <option key={e.name} value={e.name} />
        ))}
      </datalist>
      {nodeType.fields.map((meta) => {
        const props = {
          meta,
          value: node.data.config[meta.key],
          readOnly,
          onChange: (v: unknown) => set(meta.key, v),
          error: fieldError(meta.key),
          key: `${node.id}:${meta.key}`,
        };
        switch (meta.widget) {
          case 'duration':
            return <DurationControl {...props} />;
          case 'integer':
            return <IntegerControl {...props} />;
          case 'select':
            return <SelectControl {...props} />;
          case 'template':
            return <TemplateControl {...props} />;
          case 'key-value':
            return <KeyValueControl {...props} />;
          case 'json-logic':
            return (
              <div key={meta.key} className="tw-field">
                <ConditionBuilder
                  label={meta.label}
                  value={props.value}
                  fields={fields}
                  readOnly={readOnly}
                  onChange={props.onChange}
                />
                {props.error ? <p className="tw-field__error">{props.error}</p> : null}
              </div>
            );
          default:
            return <TextControl {...props} listId={meta.widget === 'event' ? 'event-names' : undefined} />;
        }
      })}
    </aside>
  );
}
