import type { PathEntry } from '@tripwire/rules';

// A run's path entries in words, for the trace's timeline: what the node decided and the values it
// decided on. The words depend on what the entry's detail holds (from the node's own step), not on
// which node type it is.

export interface EntryWords {
  /** One line: "true", "waiting until 14:05", "sent", "skipped: Only if was false". */
  headline: string;
  /** "event.properties.total = 42": what a rule read. */
  values: [string, string][];
  /** Further lines: a count's window, a wait's lateness, an error. */
  notes: string[];
}

const time = (iso: unknown) => (typeof iso === 'string' ? new Date(iso).toLocaleString() : '');
const show = (v: unknown) =>
  v === undefined ? 'not set' : typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v);

export function entryWords(entry: PathEntry & { lateMs?: number; scheduledFor?: string }): EntryWords {
  const d = entry.detail ?? {};
  const values =
    d.read && typeof d.read === 'object' ? Object.entries(d.read).map(([k, v]): [string, string] => [k, show(v)]) : [];
  const notes: string[] = [];
  if (typeof d.error === 'string') return { headline: `stopped: ${d.error}`, values, notes };
  if (d.joined) return { headline: 'joined the wait another branch of this run registered', values, notes };
  if (d.skipped) return { headline: 'skipped: its “Only if” rule was false', values, notes };
  if (!entry.output && typeof d.until === 'string') {
    return {
      headline: `waiting${typeof d.event === 'string' ? ` for “${d.event}”` : ''} until ${time(d.until)}`,
      values,
      notes,
    };
  }
  if (d.resumedBy === 'delay') notes.push('the wait ended');
  if (d.resumedBy === 'timeout') notes.push('no matching event came in time');
  if (entry.scheduledFor !== undefined && entry.lateMs !== undefined) {
    notes.push(
      `due ${time(entry.scheduledFor)}, resumed ${entry.lateMs < 1000 ? `${entry.lateMs} ms` : `${(entry.lateMs / 1000).toFixed(1)} s`} later`,
    );
  }
  if (typeof d.count === 'number') {
    const w = d.window as { from?: string; to?: string } | undefined;
    notes.push(`${d.count} counted (at least ${d.atLeast}) between ${time(w?.from)} and ${time(w?.to)}`);
  }
  if (typeof d.passes === 'number') {
    notes.push(
      entry.output === 'limited'
        ? `already ${d.passes} of at most ${d.max}${typeof d.until === 'string' ? `; a slot frees at ${time(d.until)}` : ''}`
        : `pass ${d.passes} of at most ${d.max}`,
    );
  }
  if (typeof d.messageId === 'string' && !d.resumedBy) notes.push(`event ${d.messageId}`);
  const headline =
    typeof d.actionId === 'string'
      ? 'sent'
      : d.filter === true
        ? 'started: the trigger’s filter held'
        : entry.output
          ? `→ ${entry.output}`
          : 'entered';
  return { headline, values, notes };
}
