import type { RequestHandler } from 'express';

/**
 * Cross-site request forgery guard for cookie-authenticated mutations: a state-changing request
 * must come from our own origin. Browsers always send Origin on cross-site POSTs (and on fetch), so
 * a missing or foreign Origin is refused. The SameSite=Lax cookie is the second line.
 */
export function sameOrigin(publicUrl: string): RequestHandler {
  const allowed = new URL(publicUrl).host;
  return (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
    const origin = req.headers.origin ?? req.headers.referer;
    let host: string | undefined;
    try {
      host = origin ? new URL(origin).host : undefined;
    } catch {
      host = undefined;
    }
    if (host && (host === allowed || host === req.headers.host)) return next();
    res.status(403).json({ error: { code: 'csrf', message: 'Cross-site request refused' } });
  };
}
