import { builtinRegistry, nodeNames, nodeUpgrade } from '@tripwire/rules';
import { Button } from '@tripwire/ui';
import { useCallback, useId, useMemo } from 'react';
import { ConditionBuilder } from './condition-builder';
import { useEditorStore } from './editor-context';
import {
  type ControlProps,
  DurationControl,
  IntegerControl,
  KeyValueControl,
  SelectControl,
  TemplateControl,
  TextControl,
} from './field-controls';
import { RichText } from './rich-text';
import { conditionFields, lookupFields, templatePlaceholders, useSuggestions } from './suggestions';
import { useErrors } from './validation';

/**
 * The selected node's form, generated from its type's field metadata: a new node type gets a
 * working form with no editor code. Errors come from the same validation as publish.
 */
export function ConfigPanel() {
  // Select store slices that keep their identity between unrelated updates; derive the rest here.
  const { nodes, readOnly, updateConfig, updateLabel, deleteNode, setInputProblem, upgrade } = useEditorStore((s) => ({
    nodes: s.nodes,
    readOnly: s.readOnly,
    updateConfig: s.updateConfig,
    updateLabel: s.updateLabel,
    deleteNode: s.deleteNode,
    setInputProblem: s.setInputProblem,
    upgrade: s.upgrade,
  }));
  const lookupSamples = useEditorStore((s) => s.lookupSamples);
  const nameId = useId();
  const selected = nodes.filter((n) => n.selected);
  const node = selected.length === 1 ? selected[0] : undefined;
  const triggerEvents = nodes
    .filter((n) => builtinRegistry.get(n.data.type, n.data.version)?.kind === 'trigger')
    .map((n) => String(n.data.config.event ?? ''))
    .join('\u0000');
  const errors = useErrors();
  const suggestions = useSuggestions();
  const nodeIds = nodes.map((n) => n.id).join('\u0000');
  const fields = useMemo(
    () => [
      ...conditionFields(suggestions, triggerEvents ? triggerEvents.split('\u0000') : []),
      ...lookupFields(lookupSamples, new Set(nodeIds.split('\u0000'))),
    ],
    [suggestions, triggerEvents, lookupSamples, nodeIds],
  );
  const placeholders = useMemo(() => templatePlaceholders(fields), [fields]);
  const nodeId = node?.id;
  const problemFor = useCallback(
    (key: string) => (message: string | null) => nodeId && setInputProblem(nodeId, key, message),
    [nodeId, setInputProblem],
  );
  if (!node) {
    return (
      <div className="panel__empty">
        <p className="muted">
          Select a node to edit it. Add nodes from the palette: a new node is connected under the selected one. Drag
          from an output (bottom) to the next node (top) to connect.
        </p>
      </div>
    );
  }
  const nodeType = builtinRegistry.get(node.data.type, node.data.version);
  if (!nodeType) return <p>Unknown node type {node.data.type}</p>;
  const fieldError = (key: string) =>
    errors.find((e) => e.nodeId === node.id && e.path[2] === 'config' && e.path[3] === key)?.message;
  const set = (key: string, value: unknown) => {
    const config = { ...node.data.config };
    if (value === undefined) delete config[key];
    else config[key] = value;
    updateConfig(node.id, config);
  };

  return (
    <div className="config">
      <div className="config__head">
        <h2>{node.data.label?.trim() || nodeType.label}</h2>
        {readOnly ? null : (
          <Button
            variant="ghost"
            onClick={() => deleteNode(node.id)}
            aria-label={`Delete node ${node.data.label || nodeType.label}`}
          >
            Delete
          </Button>
        )}
      </div>
      <p className="muted small">
        <RichText text={nodeType.description} />
      </p>
      {!readOnly && nodeUpgrade(builtinRegistry, node.data) ? (
        <p className="small">
          A newer version of this node exists (v{builtinRegistry.latest(node.data.type)?.version}).{' '}
          <Button variant="ghost" onClick={() => upgrade(node.id)}>
            Upgrade
          </Button>
        </p>
      ) : null}
      <div className="tw-field">
        <label htmlFor={nameId}>
          Name <span className="muted">(optional)</span>
        </label>
        <input
          id={nameId}
          maxLength={80}
          readOnly={readOnly}
          placeholder={nodeType.label}
          value={node.data.label ?? ''}
          onChange={(e) => updateLabel(node.id, e.target.value)}
        />
      </div>
      <datalist id="event-names">
        {suggestions.events.map((e) => (
          <option key={e.name} value={e.name} />
        ))}
      </datalist>
      {nodeType.fields.map((meta) => {
        const props: ControlProps & { key: string } = {
          meta,
          value: node.data.config[meta.key],
          readOnly,
          onChange: (v: unknown) => set(meta.key, v),
          onProblem: problemFor(meta.key),
          error: fieldError(meta.key),
          key: `${node.id}:${meta.key}`,
          placeholders,
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
              <div key={props.key} className="tw-field">
                <ConditionBuilder
                  label={meta.label}
                  value={props.value}
                  fields={fields}
                  readOnly={readOnly}
                  onChange={props.onChange}
                  onProblem={props.onProblem}
                />
                {props.error ? <p className="tw-field__error">{props.error}</p> : null}
              </div>
            );
          default:
            return <TextControl {...props} listId={meta.widget === 'event' ? 'event-names' : undefined} />;
        }
      })}
      <Connections nodeId={node.id} outputs={nodeType.outputs} />
      <p className="muted small">
        id <code>{node.id}</code>
      </p>
    </div>
  );
}

/** Where each output leads, as menus: connecting without a mouse (and a readable list of links). */
function Connections({ nodeId, outputs }: { nodeId: string; outputs: readonly string[] }) {
  const { nodes, edges, readOnly, setOutput, document } = useEditorStore((s) => ({
    nodes: s.nodes,
    edges: s.edges,
    readOnly: s.readOnly,
    setOutput: s.setOutput,
    document: s.document,
  }));
  const name = useMemo(() => nodeNames(document()), [document, nodes]);
  const targets = nodes.filter(
    (n) => n.id !== nodeId && builtinRegistry.get(n.data.type, n.data.version)?.kind !== 'trigger',
  );
  return (
    <section className="connections" aria-label="Connections">
      <h3>Then</h3>
      {outputs.map((output) => {
        const linked = edges.filter((e) => e.source === nodeId && (e.sourceHandle ?? outputs[0]) === output);
        const id = `${nodeId}-out-${output}`;
        return (
          <div key={output} className="tw-field">
            <label htmlFor={id}>{outputs.length > 1 ? `When ${output}, go to` : 'Go to'}</label>
            <select
              id={id}
              disabled={readOnly}
              value={linked[0]?.target ?? ''}
              onChange={(e) => setOutput(nodeId, output, e.target.value || null)}
            >
              <option value="">— nothing (the run ends here) —</option>
              {targets.map((n) => (
                <option key={n.id} value={n.id}>
                  {name(n.id)}
                </option>
              ))}
            </select>
            {linked.length > 1 ? (
              <p className="tw-field__hint">
                Also to{' '}
                {linked
                  .slice(1)
                  .map((e) => name(e.target))
                  .join(', ')}
              </p>
            ) : null}
          </div>
        );
      })}
    </section>
  );
}
