// A run in words: each step with what it read and decided, and why the run ended where it did.
// Used for the editor's test run and the run history; the run's own entries (PathEntry) are the
// input, so both read the same.
import { describeLogic } from '../conditions/describe-logic.ts';
import { describeVariable } from '../conditions/field-names.ts';
import { describeDuration } from '../duration/human-duration.ts';
import { builtinRegistry } from '../nodes/builtin.ts';
import type { Registry } from '../registry.ts';
import type { WorkflowDocumentInput } from '../workflow/document.ts';
import { nodeNames } from './node-names.ts';

export interface RunStepInput {
  nodeId: string;
  type: string;
  at: string;
  output?: string;
  detail?: Record<string, unknown>;
}

export interface RunLine {
  nodeId: string;
  /** The node's name ("Call a webhook 2", or the label someone gave it). */
  node: string;
  /** What happened there, in words. */
  text: string;
  tone: 'ok' | 'no' | 'wait' | 'error' | 'skip';
}

export interface RunStory {
  lines: RunLine[];
  /** Why the run is where it is: finished, stopped (nothing connected), waiting, failed. */
  ending: string[];
}

/** A value as it reads in a sentence. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'not set';
  if (value === null) return 'empty';
  if (typeof value === 'string') return `“${value}”`;
  if (typeof value === 'object') {
    const text = JSON.stringify(value);
    return text.length > 60 ? `${text.slice(0, 57)}…` : text;
  }
  return String(value);
}

function readValues(read: unknown): string {
  if (!read || typeof read !== 'object') return '';
  const parts = Object.entries(read as Record<string, unknown>).map(
    ([path, value]) => `${describeVariable(path)} is ${describeValue(value)}`,
  );
  return parts.length ? ` (${parts.join(', ')})` : '';
}

function when(iso: unknown): string {
  if (typeof iso !== 'string') return 'later';
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : d
        .toISOString()
        .replace('T', ' ')
        .replace(/:\d\d\.\d+Z$/, ' UTC');
}

const YES_NO: Record<string, string> = { true: 'yes', false: 'no' };

/** A "Look up" step: what it asked, what came back (or why nothing did), and the output taken. */
function lookupLine(l: Record<string, unknown>, value: unknown): Omit<RunLine, 'node' | 'nodeId'> {
  const url = typeof l.url === 'string' ? l.url : 'the API';
  if (l.outcome === 'ok') {
    const from = l.cached === true ? ' (a cached answer)' : '';
    return { text: `Looked up ${url}: ${String(l.status)}${from}, ${describeValue(value)} → ok`, tone: 'ok' };
  }
  if (l.outcome === 'not_called') return { text: `Not called: ${String(l.message)}`, tone: 'skip' };
  return { text: `Look-up of ${url} failed: ${String(l.message)} → error`, tone: 'no' };
}

function lineFor(
  step: RunStepInput,
  config: Record<string, unknown>,
  kind: string,
  summary: string,
): Omit<RunLine, 'node' | 'nodeId'> {
  const d = step.detail ?? {};
  if (typeof d.error === 'string') return { text: `Failed: ${d.error}`, tone: 'error' };
  if (kind === 'trigger') {
    if (d.filter === false)
      return {
        text: `The event does not pass “only when ${describeLogic(config.filter)}”${readValues(d.read)}`,
        tone: 'no',
      };
    const filter = d.filter === true ? `, and ${describeLogic(config.filter)}${readValues(d.read)}` : '';
    return { text: `Started: “${String(config.event ?? 'the event')}” arrived${filter}`, tone: 'ok' };
  }
  if (kind === 'condition' && typeof d.result === 'boolean') {
    if (typeof d.count === 'number') {
      return {
        text: `Counted ${d.count} “${String(config.event)}” in the last ${describeDuration(config.within)} (needs at least ${String(d.atLeast)}) → ${YES_NO[String(d.result)]}`,
        tone: d.result ? 'ok' : 'no',
      };
    }
    const rule = Object.entries(config).find(([, v]) => typeof v === 'object' && v !== null)?.[1];
    return {
      text: `Checked ${describeLogic(rule)}${readValues(d.read)} → ${YES_NO[String(d.result)]}`,
      tone: d.result ? 'ok' : 'no',
    };
  }
  if (d.skipped === 'consent') return { text: `Skipped: no consent for ${String(d.consent)}`, tone: 'skip' };
  if (d.skipped === 'quota') return { text: `Skipped: ${String(d.reason)}`, tone: 'skip' };
  if (d.skipped === 'onlyIf')
    return { text: `Skipped: its “only if” rule is false${readValues(d.read)}`, tone: 'skip' };
  if (kind === 'wait') {
    if (!step.output) {
      if (d.joined === true) return { text: 'Another branch already waits here', tone: 'wait' };
      const what = typeof d.event === 'string' ? `for “${d.event}” until ${when(d.until)}` : `until ${when(d.until)}`;
      return { text: `Waits ${what}`, tone: 'wait' };
    }
    if (d.resumedBy === 'delay') return { text: `Wait over at ${when(step.at)}; goes on`, tone: 'ok' };
    if (d.resumedBy === 'timeout') return { text: `Gave up waiting at ${when(step.at)} → ${step.output}`, tone: 'no' };
    return { text: `The awaited event arrived at ${when(step.at)} → ${step.output}`, tone: 'ok' };
  }
  if (d.lookup !== null && typeof d.lookup === 'object')
    return lookupLine(d.lookup as Record<string, unknown>, d.value);
  if (typeof d.passes === 'number' && typeof d.max === 'number') {
    return step.output === 'limited'
      ? { text: `Already passed ${d.passes} of at most ${d.max} times → limited`, tone: 'no' }
      : { text: `Pass ${d.passes} of at most ${d.max} → goes on`, tone: 'ok' };
  }
  if (kind === 'action') {
    const rendered = d.rendered && typeof d.rendered === 'object' ? (d.rendered as Record<string, unknown>) : {};
    const shown = Object.entries(rendered)
      .map(([k, v]) => `${k} ${describeValue(v)}`)
      .join('; ');
    const sends = `Sends ${summary}${shown ? ` with ${shown}` : ''}`;
    if (typeof d.heldUntil === 'string')
      return { text: `${sends}, held until ${when(d.heldUntil)} (${String(d.held)})`, tone: 'wait' };
    return { text: sends, tone: 'ok' };
  }
  return { text: step.output ? `→ ${step.output}` : 'Done', tone: 'ok' };
}

/**
 * The steps of a run (a test run's or the engine's path) in words, and why it ended. `doc` is the
 * workflow version the run ran on: node names, configs and connections come from it.
 */
export function describeRun(
  steps: readonly RunStepInput[],
  doc: Pick<WorkflowDocumentInput, 'nodes' | 'edges'>,
  options: { registry?: Registry; error?: string | undefined } = {},
): RunStory {
  const registry = options.registry ?? builtinRegistry;
  const name = nodeNames(doc, registry);
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const lines: RunLine[] = [];
  const ending: string[] = [];
  const isWait = (s: RunStepInput) =>
    (registry.get(s.type, byId.get(s.nodeId)?.version ?? 1) ?? registry.latest(s.type))?.runtime.resumes;
  const resumed = new Set(steps.filter((s) => s.output && isWait(s)).map((s) => s.nodeId));
  for (const step of steps) {
    const node = byId.get(step.nodeId);
    const type = registry.get(step.type, node?.version ?? 1) ?? registry.latest(step.type);
    const kind = type?.kind ?? 'unknown';
    lines.push({
      nodeId: step.nodeId,
      node: name(step.nodeId),
      ...lineFor(step, node?.config ?? {}, kind, type?.summary(node?.config ?? {}) ?? ''),
    });
    if (step.detail?.error !== undefined) continue;
    if (!step.output) {
      if (kind === 'wait' && !resumed.has(step.nodeId) && step.detail?.joined !== true)
        ending.push(`Waiting at ${name(step.nodeId)}.`);
      continue;
    }
    const outputs: readonly string[] = type?.outputs ?? [];
    const next = doc.edges.filter(
      (e) => e.source === step.nodeId && (e.sourceHandle ?? (outputs.length === 1 ? outputs[0] : '')) === step.output,
    );
    if (next.length > 0) continue;
    if (kind === 'action' || (outputs.length === 1 && kind !== 'trigger'))
      ending.push(`Finished after ${name(step.nodeId)}.`);
    else ending.push(`Stopped at ${name(step.nodeId)}: nothing is connected to “${step.output}”.`);
  }
  if (options.error) ending.push(`Failed: ${options.error}`);
  return { lines, ending };
}
