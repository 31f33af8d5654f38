import type { Request, RequestHandler } from 'express';
import { HttpError } from './http-error.ts';
import type { KeyResolver, ResolvedKey } from './key-resolver.ts';

const CHALLENGE = { 'www-authenticate': 'Basic realm="tripwire", charset="UTF-8"' };

/**
 * The key a request carries: Segment style (HTTP Basic, the key as username, empty password),
 * `Authorization: Bearer <key>`, or a `writeKey` field in the JSON body (browser SDKs).
 */
export function keyFromRequest(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (header) {
    // RFC 9110: the scheme, then one or more spaces, then the credentials.
    const match = /^(\S+)\s+(\S.*)$/.exec(header.trim());
    const scheme = match?.[1];
    const value = match?.[2]?.trim();
    if (scheme?.toLowerCase() === 'bearer' && value) return value;
    if (scheme?.toLowerCase() === 'basic' && value) {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const user = decoded.split(':', 1)[0];
      return user || undefined;
    }
    return undefined;
  }
  const body = req.body as { writeKey?: unknown } | undefined;
  return typeof body?.writeKey === 'string' ? body.writeKey : undefined;
}

export function authenticated(res: { locals: Record<string, unknown> }): ResolvedKey {
  return res.locals.auth as ResolvedKey;
}

/** Requires a live key of the given scope; puts it in res.locals.auth. */
export function requireKey(resolver: KeyResolver, scope: 'ingest' | 'admin'): RequestHandler {
  return async (req, res, next) => {
    try {
      const key = keyFromRequest(req);
      if (!key) throw new HttpError(401, 'unauthorized', 'Missing API key', { headers: CHALLENGE });
      const resolved = await resolver.resolve(key);
      if (!resolved) throw new HttpError(401, 'unauthorized', 'Invalid or revoked API key', { headers: CHALLENGE });
      if (resolved.scope !== scope) {
        throw new HttpError(403, 'forbidden', `This endpoint needs an API key with the ${scope} scope`);
      }
      res.locals.auth = resolved;
      next();
    } catch (error) {
      next(error);
    }
  };
}
