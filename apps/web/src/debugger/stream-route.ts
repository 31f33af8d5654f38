import type { Database } from '@tripwire/db';
import type { Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import type { Context } from '../trpc/context.ts';
import { roleIn } from '../trpc/tenant-access.ts';
import { type EventHub, TooManyViewers } from './event-hub.ts';
import { createViewer } from './viewer.ts';

const Query = z.object({
  event: z.string().trim().max(200).optional(),
  user: z.string().trim().max(256).optional(),
});

export interface StreamRouteOptions {
  db: Database;
  hub: EventHub;
  createContext(opts: { req: Request; res: Response }): Promise<Context>;
  heartbeatMs?: number;
  /** The browser reconnects by itself; a fresh connection checks the session and role again. */
  maxStreamMs?: number;
}

/**
 * GET /live/events: the current workspace's incoming events as server-sent events, for its
 * members (viewer and up), optionally filtered by event name and user.
 */
export function eventStreamRoute({
  db,
  hub,
  createContext,
  heartbeatMs = 15_000,
  maxStreamMs = 10 * 60_000,
}: StreamRouteOptions): RequestHandler {
  return async (req, res, next) => {
    try {
      const ctx = await createContext({ req, res });
      const tenantId = ctx.session?.currentTenantId;
      if (!ctx.user || !tenantId) {
        res.status(401).json({ error: { code: 'unauthorized', message: 'Please sign in' } });
        return;
      }
      if (!(await roleIn(db, ctx.user.id, tenantId))) {
        res.status(403).json({ error: { code: 'forbidden', message: 'You are not a member of this workspace' } });
        return;
      }
      const query = Query.safeParse(req.query);
      if (!query.success) {
        res.status(400).json({ error: { code: 'invalid_request', message: 'Filter by at most 200 characters' } });
        return;
      }
      const { event, user } = query.data;
      res.setHeader('content-type', 'text/event-stream; charset=utf-8');
      res.setHeader('cache-control', 'no-cache, no-transform');
      res.setHeader('x-accel-buffering', 'no');
      const viewer = createViewer(tenantId, { ...(event ? { event } : {}), ...(user ? { user } : {}) }, res);
      let leave: () => void;
      try {
        leave = hub.join(viewer);
      } catch (error) {
        if (!(error instanceof TooManyViewers)) throw error;
        res.setHeader('content-type', 'application/json');
        res.status(429).json({ error: { code: 'too_many_viewers', message: error.message } });
        return;
      }
      res.write('retry: 3000\n\n');
      const heartbeat = setInterval(() => res.write(': ping\n\n'), heartbeatMs);
      const lifetime = setTimeout(() => res.end(), maxStreamMs);
      req.on('close', () => {
        clearInterval(heartbeat);
        clearTimeout(lifetime);
        leave();
      });
    } catch (error) {
      next(error);
    }
  };
}
