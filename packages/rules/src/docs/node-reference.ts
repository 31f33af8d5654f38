import type { FieldMeta } from '../fields.ts';
import type { AnyNodeType, Registry } from '../registry.ts';

// docs/nodes.md is generated from the definitions (npm run docs:nodes), so the reference cannot
// drift from what the editor, validation and the engine do; a repo test keeps it current.

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

function fieldRow(f: FieldMeta & { key: string }): string {
  const notes = [
    f.required ? 'required' : 'optional',
    f.default !== undefined ? `default \`${JSON.stringify(f.default)}\`` : '',
    f.min !== undefined || f.max !== undefined ? `range ${f.min ?? '…'}–${f.max ?? '…'}` : '',
    f.options ? `one of ${f.options.map((o) => `\`${o}\``).join(', ')}` : '',
    f.json ? 'any JSON; its strings are templates' : '',
    f.secret ? '**secret** (redacted in traces, dead letters and exports)' : '',
  ].filter(Boolean);
  return `| \`${f.key}\` | ${cell(f.label)} | ${f.widget} | ${cell(notes.join('; '))} | ${cell(f.help ?? '')} |`;
}

function traits(t: AnyNodeType): string {
  const r = t.runtime;
  const list = [
    r.readsState ? 'reads per-user state' : '',
    r.writesState ? 'writes per-user state' : '',
    r.registersWaiter ? 'parks the run until an event or a timeout' : r.resumes ? 'parks the run until a time' : '',
    r.addsData ? 'adds its answer to the run as `lookup.<node id>` for the nodes after it' : '',
  ].filter(Boolean);
  return list.length ? list.join(', ') : 'touches no per-user state';
}

function section(t: AnyNodeType): string {
  return [
    `### ${t.label} — \`${t.key}\``,
    '',
    t.description,
    '',
    `- Kind: ${t.kind}; outputs: ${t.outputs.map((o: string) => `\`${o}\``).join(', ')}`,
    `- Runtime: ${traits(t)}`,
    '',
    ...(t.fields.length
      ? ['| Field | Label | Widget | Notes | Help |', '| --- | --- | --- | --- | --- |', ...t.fields.map(fieldRow)]
      : ['No settings.']),
    '',
  ].join('\n');
}

/** The node reference as Markdown, every type@version of the registry, in palette order. */
export function nodeReference(registry: Registry): string {
  return [
    '# Node reference',
    '',
    '<!-- Generated from the node definitions in packages/rules/src/nodes by `npm run docs:nodes`; do not edit. -->',
    '',
    'Every node type and version this release runs. How to add one: [extending.md](extending.md).',
    '',
    ...registry.list().map(section),
  ].join('\n');
}
