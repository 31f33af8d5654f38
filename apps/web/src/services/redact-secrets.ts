/**
 * Hides secrets in data shown to people (dead-letter payloads). Two layers:
 * - declared secret paths (`['config', 'headers', '*']`): the value there is replaced whatever it
 *   looks like. Node definitions will declare their secret fields; until they do, callers pass
 *   DEFAULT_ACTION_SECRET_PATHS.
 * - a safety net for what nobody declared: keys named like credentials (password, token, api_key,
 *   authorization…), values shaped like one (Bearer …, JWTs, our own tw_/whsec_ keys, common
 *   vendor key formats), and passwords or credential-named query parameters inside URLs.
 */

/** Path segments from the root; '*' matches any key or array index at that level. */
export type SecretPath = readonly string[];

export const REDACTED = '[redacted]';

/** Webhook header values are often the receiver's credentials. */
export const DEFAULT_ACTION_SECRET_PATHS: readonly SecretPath[] = [['config', 'headers', '*']];

const MAX_DEPTH = 64;

// Matched against the key lowercased without separators: "X-Api-Key" -> "xapikey", "accessToken".
const SECRET_KEY_PART =
  /password|passwd|passphrase|secret|token|apikey|authorization|cookie|credential|privatekey|accesskey|signature|sessionid/;
const isSecretKey = (key: string) => {
  const flat = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  return flat === 'auth' || flat === 'pwd' || SECRET_KEY_PART.test(flat);
};

const SECRET_VALUE = [
  /^\s*(bearer|basic|token|digest)\s+\S{8,}/i,
  /^eyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]*$/, // JWT
  /^(tw_wk_|tw_ak_|whsec_)\S{8,}/, // our own write/admin keys and signing secrets
  /^(sk|rk|pk)_(live|test)_\w{8,}/, // Stripe-style
  /^xox[abposr]-[\w-]{10,}/, // Slack
  /^(ghp|gho|ghs|ghu|github_pat)_\w{20,}/, // GitHub
  /^AKIA[0-9A-Z]{16}$/, // AWS access key id
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
];

function redactUrl(value: string): string {
  if (!/^https?:\/\//i.test(value)) return value;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return value;
  }
  let changed = false;
  if (url.password) {
    url.password = 'redacted';
    changed = true;
  }
  for (const key of [...url.searchParams.keys()]) {
    if (isSecretKey(key)) {
      url.searchParams.set(key, REDACTED);
      changed = true;
    }
  }
  return changed ? url.toString() : value;
}

function redactString(value: string): string {
  if (SECRET_VALUE.some((pattern) => pattern.test(value))) return REDACTED;
  return redactUrl(value);
}

/** Paths that continue below `key`, or 'hit' when one of them ends there. */
function descend(paths: readonly SecretPath[], key: string): readonly SecretPath[] | 'hit' {
  const next: SecretPath[] = [];
  for (const path of paths) {
    const [head, ...rest] = path;
    if (head !== '*' && head !== key) continue;
    if (rest.length === 0) return 'hit';
    next.push(rest);
  }
  return next;
}

function walk(value: unknown, paths: readonly SecretPath[], depth: number): unknown {
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return REDACTED;
  if (Array.isArray(value)) {
    return value.map((item, index) => {
      const below = descend(paths, String(index));
      return below === 'hit' ? REDACTED : walk(item, below, depth + 1);
    });
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const below = descend(paths, key);
    if (below === 'hit' || (isSecretKey(key) && typeof item === 'string')) out[key] = REDACTED;
    else out[key] = walk(item, below, depth + 1);
  }
  return out;
}

/** A copy of `value` with secrets replaced by "[redacted]"; the input is not changed. */
export function redactSecrets<T>(value: T, secretPaths: readonly SecretPath[] = []): T {
  return walk(value, secretPaths, 0) as T;
}
