import type { RequestHandler } from 'express';

/**
 * Ingestion is called from browsers on other origins (analytics.js). It authenticates by key, never
 * by cookie, so allowing every origin exposes nothing; the admin endpoints do not get this.
 */
export const ingestCors: RequestHandler = (req, res, next) => {
  res.set({
    'access-control-allow-origin': '*',
    'access-control-allow-methods': 'POST, OPTIONS',
    'access-control-allow-headers': 'authorization, content-type',
    'access-control-max-age': '86400',
  });
  if (req.method === 'OPTIONS') {
    res.status(204).end();
    return;
  }
  next();
};
