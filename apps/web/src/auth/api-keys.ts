import { createHash, randomBytes } from 'node:crypto';

export type ApiKeyScope = 'ingest' | 'admin';

// Write keys (ingest) and admin keys look different so a leaked one is easy to triage.
const PREFIX: Record<ApiKeyScope, string> = { ingest: 'tw_wk_', admin: 'tw_ak_' };
const VISIBLE = 12;

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function generateApiKey(scope: ApiKeyScope) {
  const key = PREFIX[scope] + randomBytes(24).toString('base64url');
  return { key, prefix: key.slice(0, VISIBLE), hash: hashApiKey(key) };
}
