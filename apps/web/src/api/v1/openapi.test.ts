import type { Router } from 'express';
import { describe, expect, it } from 'vitest';
import { adminRoutes } from './admin-routes.ts';
import { deadLetterRoutes } from './dead-letter-routes.ts';
import { ingestRoutes } from './ingest-routes.ts';
import { openApiDocument } from './openapi.ts';
import { privacyRoutes } from './privacy-routes.ts';
import { trackingPlanRoutes } from './tracking-plan-routes.ts';
import { workflowRoutes } from './workflow-routes.ts';

// The OpenAPI document is written by hand next to the routes; this keeps the two in step: every
// /v1 route the app mounts (web-app.ts) is described, and nothing is described that is not routed.
// Building a router only registers handlers, so inert dependencies are enough.

const inert = {} as never;
const routers: Router[] = [
  ingestRoutes({ resolver: inert, limiter: inert, ingest: inert }),
  adminRoutes({ db: inert, resolver: inert }),
  privacyRoutes({ db: inert, resolver: inert, jobsSchema: 'jobs' }),
  trackingPlanRoutes({ db: inert, resolver: inert }),
  workflowRoutes({ db: inert, resolver: inert, history: inert, jobs: inert }),
  deadLetterRoutes({ db: inert, resolver: inert, boss: inert, jobsSchema: 'jobs' }),
];

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
}

function routed(): string[] {
  const out: string[] = [];
  for (const router of routers)
    for (const layer of router.stack as Layer[]) {
      if (!layer.route) continue;
      const path = layer.route.path.replace(/:(\w+)/g, '{$1}');
      for (const [method, on] of Object.entries(layer.route.methods)) if (on) out.push(`${method} ${path}`);
    }
  return out.sort();
}

function described(): string[] {
  const doc = openApiDocument();
  const out: string[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {}))
    for (const method of ['get', 'post', 'put', 'delete', 'patch'])
      if (item && method in item) out.push(`${method} ${path}`);
  return out.sort();
}

describe('OpenAPI document', () => {
  it('describes exactly the /v1 routes the app serves', () => {
    expect(routed()).toContain('get /workflows/{id}/explain');
    expect(described()).toEqual(routed());
  });

  it('documents the explain query and the backtest body from the schemas that validate them', () => {
    const doc = openApiDocument();
    const explain = doc.paths?.['/workflows/{id}/explain']?.get;
    expect(explain?.parameters?.map((p) => ('name' in p ? p.name : ''))).toEqual(
      expect.arrayContaining(['id', 'userId', 'from', 'to']),
    );
    expect(doc.components?.schemas?.BacktestRequest).toBeDefined();
    expect(doc.components?.schemas?.Explanation).toBeDefined();
    expect(Object.keys(doc.paths?.['/backtests/{id}/cancel']?.post?.responses ?? {})).toContain('409');
  });
});
