import { type Database, type EventHistoryStore, type TenantTx, withTenant } from '@tripwire/db';
import { validateWorkflow, workflowDocumentSchema } from '@tripwire/rules';
import { type Request, type Response, Router } from 'express';
import type { PgBoss } from 'pg-boss';
import { z } from 'zod';
import { BacktestRejected, cancelBacktest, getBacktest, requestBacktest } from '../../services/backtests.ts';
import { ExplainRejected, explainUserHistory } from '../../services/explain.ts';
import {
  type Actor,
  createWorkflow,
  deleteWorkflow,
  getWorkflow,
  listVersions,
  listWorkflows,
  PublishRejected,
  publishWorkflow,
  rollbackWorkflow,
  unpublishWorkflow,
  updateDraft,
  versionNumber,
} from '../../services/workflows.ts';
import { authenticated, requireKey } from '../auth.ts';
import { HttpError, invalid } from '../http-error.ts';
import type { KeyResolver } from '../key-resolver.ts';
import { storableJson } from '../text-guard.ts';

export const RollbackRequest = z.object({ version: versionNumber }).meta({ id: 'RollbackRequest' });
const WorkflowId = z.uuid();
export const MAX_DOCUMENT_BYTES = 1024 * 1024;

function workflowId(req: Request): string {
  const parsed = WorkflowId.safeParse(req.params.id);
  if (!parsed.success) throw notFound();
  return parsed.data;
}

const notFound = () => new HttpError(404, 'not_found', 'No such workflow');

function parseDocument(body: unknown) {
  const parsed = workflowDocumentSchema.safeParse(body);
  if (!parsed.success) throw invalid(parsed.error, 'The body is not a workflow document v1');
  return parsed.data;
}

export const ExplainQuery = z
  .object({
    userId: z.string().min(1, 'userId is required').max(256),
    from: z.iso.datetime({ offset: true, message: 'from must be an ISO 8601 date-time' }).optional(),
    to: z.iso.datetime({ offset: true, message: 'to must be an ISO 8601 date-time' }).optional(),
  })
  .meta({ id: 'ExplainQuery' });

export const BacktestRequest = z
  .object({
    from: z.iso.datetime({ offset: true, message: 'from must be an ISO 8601 date-time' }),
    to: z.iso.datetime({ offset: true, message: 'to must be an ISO 8601 date-time' }),
    /** A draft to backtest instead of the saved one. */
    document: z.unknown().optional(),
  })
  .meta({ id: 'BacktestRequest' });

const BACKTEST_STATUS: Record<BacktestRejected['code'], number> = {
  not_found: 404,
  invalid_draft: 422,
  out_of_retention: 400,
  bad_range: 400,
  no_history: 422,
  busy: 429,
  too_many_events: 422,
};

/** The service's refusals as HTTP: clear 4xx, never a 500. */
export function explainError(error: unknown): unknown {
  if (!(error instanceof ExplainRejected)) return error;
  const status =
    error.code === 'not_found' || error.code === 'unknown_user' ? 404 : error.code === 'too_many_events' ? 422 : 400;
  return new HttpError(status, error.code, error.message);
}

export function backtestError(error: unknown): unknown {
  if (!(error instanceof BacktestRejected)) return error;
  return new HttpError(BACKTEST_STATUS[error.code], error.code, error.message, {
    ...(error.details ? { details: error.details } : {}),
  });
}

export function workflowRoutes({
  db,
  resolver,
  history,
  jobs,
}: {
  db: Database;
  resolver: KeyResolver;
  history: EventHistoryStore;
  jobs: () => Promise<PgBoss>;
}): Router {
  const router = Router();
  const admin = requireKey(resolver, 'admin');
  const json = storableJson(MAX_DOCUMENT_BYTES);
  const actor = (res: Response): Actor => ({ apiKeyPrefix: `key:${authenticated(res).keyId}` });
  /** Runs `fn` in a transaction acting as the key's tenant, with that tenant's id. */
  const asKeyTenant = <T>(res: Response, fn: (tx: TenantTx, tenantId: string) => Promise<T>): Promise<T> => {
    const { tenantId } = authenticated(res);
    return withTenant(db, tenantId, (tx) => fn(tx, tenantId));
  };

  router.get('/workflows', admin, async (_req, res) => {
    res.json({ data: await asKeyTenant(res, (tx, tenantId) => listWorkflows(tx, { tenantId })) });
  });

  router.post('/workflows', json, admin, async (req, res) => {
    const document = parseDocument(req.body);
    const id = await asKeyTenant(res, (tx, tenantId) => createWorkflow(tx, { tenantId, document, actor: actor(res) }));
    // Drafts may be incomplete; the problems are reported now and block only publishing.
    res.status(201).json({ id, validation: validateWorkflow(document) });
  });

  router.get('/workflows/:id', admin, async (req, res) => {
    const id = workflowId(req);
    const wf = await asKeyTenant(res, (tx, tenantId) => getWorkflow(tx, { tenantId, workflowId: id }));
    if (!wf) throw notFound();
    const { draft, ...rest } = wf;
    res.json({ ...rest, document: draft, validation: validateWorkflow(draft) });
  });

  router.put('/workflows/:id', json, admin, async (req, res) => {
    const document = parseDocument(req.body);
    const id = workflowId(req);
    const updated = await asKeyTenant(res, (tx, tenantId) => updateDraft(tx, { tenantId, workflowId: id, document }));
    if (!updated) throw notFound();
    res.json({ id: req.params.id, validation: validateWorkflow(document) });
  });

  router.delete('/workflows/:id', admin, async (req, res) => {
    const id = workflowId(req);
    if (!(await asKeyTenant(res, (tx, tenantId) => deleteWorkflow(tx, { tenantId, workflowId: id })))) throw notFound();
    res.status(204).end();
  });

  router.post('/workflows/:id/publish', admin, async (req, res) => {
    try {
      const id = workflowId(req);
      const published = await asKeyTenant(res, (tx, tenantId) =>
        publishWorkflow(tx, { tenantId, workflowId: id, actor: actor(res) }),
      );
      if (!published) throw notFound();
      res.json(published);
    } catch (error) {
      if (error instanceof PublishRejected) {
        throw new HttpError(422, 'invalid_workflow', error.message, { details: error.errors });
      }
      throw error;
    }
  });

  router.post('/workflows/:id/unpublish', admin, async (req, res) => {
    const id = workflowId(req);
    if (!(await asKeyTenant(res, (tx, tenantId) => unpublishWorkflow(tx, { tenantId, workflowId: id }))))
      throw notFound();
    res.json({ activeVersion: null });
  });

  router.get('/workflows/:id/versions', admin, async (req, res) => {
    const id = workflowId(req);
    const versions = await asKeyTenant(res, (tx, tenantId) => listVersions(tx, { tenantId, workflowId: id }));
    if (!versions) throw notFound();
    res.json({ data: versions });
  });

  router.post('/workflows/:id/rollback', json, admin, async (req, res) => {
    const body = RollbackRequest.safeParse(req.body);
    if (!body.success) throw invalid(body.error);
    const id = workflowId(req);
    const done = await asKeyTenant(res, (tx, tenantId) =>
      rollbackWorkflow(tx, { tenantId, workflowId: id, version: body.data.version }),
    );
    if (!done) throw new HttpError(404, 'not_found', `No version ${body.data.version} of this workflow`);
    res.json({ activeVersion: done.version });
  });

  // "Why didn't this user trigger?": the user's kept events replayed through the versions live then.
  router.get('/workflows/:id/explain', admin, async (req, res) => {
    const id = workflowId(req);
    const query = ExplainQuery.safeParse(req.query);
    if (!query.success) throw invalid(query.error, 'The query is invalid');
    const { userId, from, to } = query.data;
    try {
      const explanation = await asKeyTenant(res, (tx, tenantId) =>
        explainUserHistory(tx, history, {
          tenantId,
          workflowId: id,
          userId,
          ...(from ? { from: new Date(from) } : {}),
          ...(to ? { to: new Date(to) } : {}),
        }),
      );
      res.json(explanation);
    } catch (error) {
      throw explainError(error);
    }
  });

  // Backtests: 202 with the id; the job replays the tenant's history through the draft and live.
  router.post('/workflows/:id/backtests', json, admin, async (req, res) => {
    const id = workflowId(req);
    const body = BacktestRequest.safeParse(req.body ?? {});
    if (!body.success) throw invalid(body.error);
    const boss = await jobs();
    try {
      const made = await asKeyTenant(res, (tx, tenantId) =>
        requestBacktest(tx, history, boss, {
          tenantId,
          workflowId: id,
          from: new Date(body.data.from),
          to: new Date(body.data.to),
          ...(body.data.document !== undefined ? { document: body.data.document } : {}),
        }),
      );
      res.status(202).json({ id: made.id, status: 'queued', links: { self: `/v1/backtests/${made.id}` } });
    } catch (error) {
      throw backtestError(error);
    }
  });

  router.get('/backtests/:id', admin, async (req, res) => {
    const parsed = WorkflowId.safeParse(req.params.id);
    if (!parsed.success) throw new HttpError(404, 'not_found', 'No such backtest');
    const bt = await asKeyTenant(res, (tx, tenantId) => getBacktest(tx, tenantId, parsed.data));
    if (!bt) throw new HttpError(404, 'not_found', 'No such backtest');
    res.json(bt);
  });

  router.post('/backtests/:id/cancel', admin, async (req, res) => {
    const parsed = WorkflowId.safeParse(req.params.id);
    if (!parsed.success) throw new HttpError(404, 'not_found', 'No such backtest');
    const done = await asKeyTenant(res, (tx, tenantId) => cancelBacktest(tx, tenantId, parsed.data));
    if (!done) throw new HttpError(409, 'not_running', 'That backtest is not queued or running');
    res.json({ status: 'cancelled' });
  });

  return router;
}
