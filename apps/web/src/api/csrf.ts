import type { RequestHandler } from 'express';

/** An origin as a browser sends it (scheme, host, port), or undefined when it is not a URL. */
function originOf(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const origin = new URL(value).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

/**
 * Cross-site request forgery guard for cookie-authenticated mutations: a state-changing request
 * must come from our own origin — scheme, host and port all equal (https://localhost:3000 is not
 * http://localhost:3000). Ours is PUBLIC_URL's, or the address the request itself was sent to
 * (its scheme from X-Forwarded-Proto only behind a configured proxy). Browsers always send Origin
 * on cross-site POSTs (and on fetch), so a missing or foreign one is refused. The SameSite=Lax
 * cookie is the second line.
 */
export function sameOrigin(publicUrl: string): RequestHandler {
  const allowed = new URL(publicUrl).origin;
  return (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
    const origin = originOf(req.headers.origin ?? req.headers.referer);
    const own = req.headers.host ? originOf(`${req.protocol}://${req.headers.host}`) : undefined;
    if (origin && (origin === allowed || origin === own)) return next();
    res.status(403).json({ error: { code: 'csrf', message: 'Cross-site request refused' } });
  };
}
