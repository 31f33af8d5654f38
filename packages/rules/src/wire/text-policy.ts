// What text and dates may be stored: one policy for every entry point (the public API, tRPC, the
// CLI, imports) and for the engine's reading of the Kafka envelope, so that what ingestion accepts
// is exactly what the engine can evaluate. Postgres refuses two things JavaScript strings can hold:
// the NUL character (text and jsonb alike) and UTF-16 surrogates that are not part of a pair
// (jsonb refuses the escape; text would silently turn them into U+FFFD). Dates must lie within
// years 0001–9999: what ISO-8601's four-digit year writes and every store reads back the same.
// Pure and dependency-free: the browser, the web app and the engine import it.

export type TextProblem = 'nul' | 'lone_surrogate';
export type TextPath = (string | number)[];

export interface TextIssue {
  /** Where: the string's path, or for a key the path of the key itself. */
  path: TextPath;
  problem: TextProblem;
  /** The problem is in an object key, not in a value. */
  inKey: boolean;
}

/** The first reason `text` cannot be stored, if any. */
export function textProblem(text: string): TextProblem | undefined {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return 'nul';
    if (c < 0xd800 || c > 0xdfff) continue;
    // A high surrogate must be followed by a low one; a low one may only follow a high one.
    if (c > 0xdbff) return 'lone_surrogate';
    const next = text.charCodeAt(i + 1);
    if (!(next >= 0xdc00 && next <= 0xdfff)) return 'lone_surrogate';
    i++;
  }
  return undefined;
}

/** `text` with each NUL and unpaired surrogate replaced by U+FFFD, the replacement character. */
export function cleanText(text: string): string {
  return replaceUnstorable(text, () => '\ufffd');
}

/** Each NUL and unpaired surrogate of `text` replaced by what `by` makes of its code unit. */
function replaceUnstorable(text: string, by: (code: number) => string): string {
  if (textProblem(text) === undefined) return text;
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0 && (c < 0xd800 || c > 0xdfff)) continue;
    if (c <= 0xdbff && c !== 0) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
    }
    out += text.slice(from, i) + by(c);
    from = i + 1;
  }
  return out + text.slice(from);
}

interface Walk {
  /** Also check string values (default); false checks object keys only. */
  values?: boolean;
}

/**
 * The first string or object key in `value` that cannot be stored (depth-first, in key order).
 * Walks with an explicit stack: a deeply nested value cannot overflow it. Dates are not text
 * (see timestampProblem).
 */
export function findTextIssue(value: unknown, { values = true }: Walk = {}): TextIssue | undefined {
  // Each entry links to its parent: the path is built only for the issue found.
  interface Entry {
    value: unknown;
    key: string | number | undefined;
    parent: Entry | undefined;
  }
  const pathOf = (entry: Entry | undefined, last?: string): TextPath => {
    const path: TextPath = last === undefined ? [] : [last];
    for (let e = entry; e?.key !== undefined; e = e.parent) path.push(e.key);
    return path.reverse();
  };
  const stack: Entry[] = [{ value, key: undefined, parent: undefined }];
  for (let entry = stack.pop(); entry; entry = stack.pop()) {
    const v = entry.value;
    if (typeof v === 'string') {
      const problem = values ? textProblem(v) : undefined;
      if (problem) return { path: pathOf(entry), problem, inKey: false };
      continue;
    }
    if (typeof v !== 'object' || v === null || v instanceof Date) continue;
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], key: i, parent: entry });
      continue;
    }
    const keys = Object.keys(v);
    for (const key of keys) {
      const problem = textProblem(key);
      if (problem) return { path: pathOf(entry, key), problem, inKey: true };
    }
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i] as string;
      stack.push({ value: (v as Record<string, unknown>)[key], key, parent: entry });
    }
  }
  return undefined;
}

/**
 * A copy of `value` whose string values are cleaned (cleanText); keys are left as they are.
 * Recursive: for values whose depth is already bounded (ingestion allows 32 levels).
 */
export function cleanTextValues<T>(value: T): T {
  if (findTextIssue(value) === undefined) return value;
  const clean = (v: unknown): unknown => {
    if (typeof v === 'string') return cleanText(v);
    if (Array.isArray(v)) return v.map(clean);
    if (typeof v !== 'object' || v === null || v instanceof Date) return v;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(v)) {
      // defineProperty: a "__proto__" key stays data, as JSON.parse made it.
      Object.defineProperty(out, key, {
        value: clean((v as Record<string, unknown>)[key]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  };
  return clean(value) as T;
}

/** A path for people: `properties.items.0.name`, with unprintable characters escaped. */
export function describeTextPath(path: TextPath): string {
  return path.map((segment) => (typeof segment === 'string' ? escapeUnstorable(segment) : String(segment))).join('.');
}

function escapeUnstorable(text: string): string {
  return replaceUnstorable(text, (code) => `\\u${code.toString(16).padStart(4, '0')}`);
}

/** Why the text at an issue cannot be stored, in words for the person who sent it. */
export function textIssueMessage(issue: Pick<TextIssue, 'problem' | 'inKey'>): string {
  const what = issue.inKey ? 'this key contains' : 'contains';
  return issue.problem === 'nul'
    ? `${what} a NUL character (\\u0000), which cannot be stored`
    : `${what} an unpaired UTF-16 surrogate (a broken character), which cannot be stored`;
}

/** `path: message` for an issue, or the message alone at the top. */
export function describeTextIssue(issue: TextIssue): string {
  const where = describeTextPath(issue.path);
  return where ? `${where}: ${textIssueMessage(issue)}` : textIssueMessage(issue);
}

/**
 * Whether JSON text may decode to an unstorable string: NUL and unpaired surrogates can only
 * arrive escaped (`\u0000`, `\ud800`); raw they are not valid JSON or not valid UTF-8. JSON
 * without such an escape needs no walk of its decoded value.
 */
export function mayHoldUnstorableText(json: string): boolean {
  for (let i = json.indexOf('\\u'); i !== -1; i = json.indexOf('\\u', i + 2)) {
    // An escaped backslash followed by "u" is not an escape: count the backslashes before it.
    let backslashes = 0;
    for (let j = i - 1; j >= 0 && json.charCodeAt(j) === 0x5c; j--) backslashes++;
    if (backslashes % 2 === 1) continue;
    const hex = json.slice(i + 2, i + 6).toLowerCase();
    if (hex === '0000' || (hex[0] === 'd' && '89abcdef'.includes(hex[1] ?? ''))) return true;
  }
  return false;
}

/** The dates every store keeps as they are: years 0001 to 9999, in UTC. */
export const MIN_TIMESTAMP_MS = -62_135_596_800_000; // 0001-01-01T00:00:00.000Z
export const MAX_TIMESTAMP_MS = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z

/** Why a date cannot be stored (out of range or not a date), if it cannot. */
export function timestampProblem(value: string | number | Date): string | undefined {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  if (Number.isNaN(ms)) return 'must be a valid date';
  if (ms < MIN_TIMESTAMP_MS || ms > MAX_TIMESTAMP_MS) return 'must be a date between the years 0001 and 9999';
  return undefined;
}
