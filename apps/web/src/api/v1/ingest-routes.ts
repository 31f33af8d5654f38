import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import express, { type Request, type Response, Router } from 'express';
import type { RejectionRecorder } from '../../debugger/rejection-recorder.ts';
import type { IngestService } from '../../ingest/ingest-service.ts';
import {
  BatchRequest,
  type Checked,
  checkMessage,
  MAX_BATCH_BYTES,
  MAX_MESSAGE_BYTES,
  type ValidMessage,
} from '../../ingest/messages.ts';
import { type NdjsonLine, ndjsonLines } from '../../ingest/ndjson.ts';
import { applyPlan, type TrackingPlanCache } from '../../ingest/tracking-plan-check.ts';
import { KafkaUnavailable } from '../../kafka/kafka-client.ts';
import { authenticated, requireKey } from '../auth.ts';
import type { SharedRateLimiter } from '../bucket-rate-limit.ts';
import { HttpError, invalid } from '../http-error.ts';
import type { KeyResolver } from '../key-resolver.ts';

export interface IngestRoutesOptions {
  resolver: KeyResolver;
  limiter: SharedRateLimiter;
  ingest: IngestService;
  /** Shows refused messages in the event debugger (refused requests: an error hook in web-app.ts). */
  rejections?: Pick<RejectionRecorder, 'messages' | 'planViolations'>;
  /** The workspace's tracking plan, applied to every track event in the mode it chose. */
  plans?: TrackingPlanCache;
}

const IMPORT_MAX_LINES = 1_000_000;
const IMPORT_CHUNK = 500;
const IMPORT_REPORTED_ERRORS = 20;

/**
 * The import body, decoded as its Content-Encoding says. A bomb gains nothing: lines are read as
 * they stream, none held beyond 32 KB, at most IMPORT_MAX_LINES of them.
 */
function decodedBody(req: Request): Readable {
  const encoding = String(req.headers['content-encoding'] ?? 'identity')
    .trim()
    .toLowerCase();
  if (encoding === 'identity' || encoding === '') return req;
  if (encoding === 'gzip' || encoding === 'x-gzip') return req.pipe(createGunzip());
  if (encoding === 'deflate') return req.pipe(createInflate());
  if (encoding === 'br') return req.pipe(createBrotliDecompress());
  throw new HttpError(
    415,
    'unsupported_encoding',
    `Content-Encoding ${encoding} is not supported; send gzip, deflate, br or none`,
  );
}

function jsonBody(limit: number) {
  // Segment's browser SDK posts JSON as text/plain to avoid CORS preflights.
  return express.json({ limit, type: ['application/json', 'text/plain'] });
}

async function store(ingest: IngestService, tenantId: string, messages: ValidMessage[]) {
  try {
    return await ingest.accept(tenantId, messages);
  } catch (error) {
    if (error instanceof KafkaUnavailable) {
      throw new HttpError(503, 'unavailable', 'The event store is unavailable; nothing was stored. Retry later.', {
        headers: { 'retry-after': '5' },
      });
    }
    throw error;
  }
}

export function ingestRoutes({ resolver, limiter, ingest, rejections, plans }: IngestRoutesOptions): Router {
  const router = Router();
  const ingestKey = requireKey(resolver, 'ingest');
  /** Stores messages counted in the month; if nothing was stored, they are not counted. */
  const stored = async (tenantId: string, messages: ValidMessage[]) => {
    try {
      return await store(ingest, tenantId, messages);
    } catch (error) {
      limiter.refund(tenantId, messages.length);
      throw error;
    }
  };

  /** The tracking plan's verdict; what it let through broken is shown in the event debugger. */
  const planned = async (req: Request, res: Response, tenantId: string, messages: ValidMessage[]) => {
    const outcome = applyPlan(plans ? await plans.get(tenantId) : undefined, messages);
    if (outcome.flagged.length > 0) rejections?.planViolations(req, res, outcome.flagged);
    return outcome;
  };

  for (const type of ['track', 'identify'] as const) {
    router.post(`/${type}`, jsonBody(MAX_MESSAGE_BYTES), ingestKey, async (req: Request, res: Response) => {
      const auth = authenticated(res);
      const checked = checkMessage(req.body, type);
      if (!checked.ok) throw new HttpError(400, 'invalid_message', checked.reason);
      await limiter.take(auth.tenantId, 1, auth);
      const outcome = await planned(req, res, auth.tenantId, [checked.message]);
      const refused = outcome.refused[0];
      if (refused) {
        limiter.refund(auth.tenantId, 1);
        throw new HttpError(400, 'plan_violation', refused.reason);
      }
      const [envelope] = await stored(auth.tenantId, outcome.messages);
      res.json({ success: true, messageId: envelope?.messageId });
    });
  }

  router.post('/batch', jsonBody(MAX_BATCH_BYTES), ingestKey, async (req: Request, res: Response) => {
    const auth = authenticated(res);
    const parsed = BatchRequest.safeParse(req.body);
    if (!parsed.success) throw invalid(parsed.error, 'The batch is invalid');
    const checks: Checked[] = parsed.data.batch.map((m) => checkMessage(m, undefined, parsed.data.context));
    const validAt = checks.flatMap((c, index) => (c.ok ? [index] : []));
    const rejected = checks.flatMap((c, index) => (c.ok ? [] : [{ index, messageId: c.messageId, reason: c.reason }]));
    let valid: ValidMessage[] = checks.flatMap((c) => (c.ok ? [c.message] : []));
    if (valid.length > 0) {
      await limiter.take(auth.tenantId, valid.length, auth);
      const outcome = await planned(req, res, auth.tenantId, valid);
      limiter.refund(auth.tenantId, outcome.refused.length);
      for (const r of outcome.refused) {
        const index = validAt[r.index] as number;
        rejected.push({ index, messageId: (valid[r.index] as ValidMessage).messageId, reason: r.reason });
      }
      rejected.sort((a, b) => a.index - b.index);
      valid = outcome.messages;
      if (valid.length > 0) await stored(auth.tenantId, valid);
    }
    if (rejected.length === 0) {
      res.json({ success: true, accepted: valid.length });
      return;
    }
    rejections?.messages(
      req,
      res,
      rejected.length,
      rejected.map((r) => r.reason),
    );
    res.status(400).json({
      success: false,
      accepted: valid.length,
      rejected,
      error: { code: 'invalid_messages', message: `${rejected.length} of ${checks.length} messages were rejected` },
    });
  });

  // Back-filling: NDJSON streamed line by line, stored in chunks as it arrives.
  router.post('/import', ingestKey, async (req: Request, res: Response) => {
    const auth = authenticated(res);
    let lineNo = 0;
    let accepted = 0;
    let rejected = 0;
    const errors: { line: number; reason: string }[] = [];
    let chunk: { line: number; message: ValidMessage }[] = [];
    const reject = (line: number, reason: string) => {
      rejected++;
      if (errors.length < IMPORT_REPORTED_ERRORS) errors.push({ line, reason });
    };
    const flush = async () => {
      if (chunk.length === 0) return;
      const lines = chunk;
      chunk = [];
      const outcome = await planned(
        req,
        res,
        auth.tenantId,
        lines.map((c) => c.message),
      );
      for (const r of outcome.refused) reject((lines[r.index] as { line: number }).line, r.reason);
      const refusedAt = new Set(outcome.refused.map((r) => r.index));
      const kept = lines.filter((_, i) => !refusedAt.has(i));
      const batch = kept.map((c, i) => ({ line: c.line, message: outcome.messages[i] as ValidMessage }));
      if (batch.length === 0) return;
      // Paced at the workspace's ingestion rate, in a bucket of its own so a back-fill slows
      // itself down instead of taking live traffic's budget (or refusing half-way through).
      await limiter.pace(`${auth.tenantId}:import`, batch.length, auth.ratePerSecond, auth.burst);
      try {
        await limiter.reserve(auth.tenantId, batch.length, auth.eventsPerMonth);
      } catch (error) {
        // Over the monthly quota: what was stored before this chunk stays; resume here next month.
        if (error instanceof HttpError)
          error.details = { ...(error.details as object), accepted, rejected, resumeFromLine: batch[0]?.line };
        throw error;
      }
      try {
        await stored(
          auth.tenantId,
          batch.map((c) => c.message),
        );
      } catch (error) {
        // Tell the client exactly where to resume: every line before `resumeFromLine` is stored.
        if (error instanceof HttpError)
          error.details = { ...(error.details as object), accepted, rejected, resumeFromLine: batch[0]?.line };
        throw error;
      }
      accepted += batch.length;
    };
    const body = decodedBody(req);
    const lines = ndjsonLines(body, MAX_MESSAGE_BYTES);
    for (;;) {
      let next: IteratorResult<NdjsonLine, void>;
      try {
        next = await lines.next();
      } catch {
        // Corrupt compressed data: what was read before it is stored; the client resumes after it.
        await flush();
        throw new HttpError(400, 'invalid_encoding', 'The body could not be decompressed', {
          details: { accepted, rejected, resumeFromLine: lineNo + 1 },
        });
      }
      if (next.done) break;
      const line = next.value;
      lineNo++;
      if (lineNo > IMPORT_MAX_LINES)
        throw new HttpError(413, 'payload_too_large', `At most ${IMPORT_MAX_LINES} lines per import`);
      if ('oversized' in line) {
        reject(lineNo, `line is over ${MAX_MESSAGE_BYTES / 1024} KB`);
        continue;
      }
      // A byte-order mark before the first line is an editor's, not part of the JSON.
      const text = lineNo === 1 ? line.text.replace(/^\ufeff/, '') : line.text;
      if (text.trim() === '') continue;
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch {
        reject(lineNo, 'not valid JSON');
        continue;
      }
      const checked = checkMessage(raw);
      if (!checked.ok) reject(lineNo, checked.reason);
      else chunk.push({ line: lineNo, message: checked.message });
      if (chunk.length >= IMPORT_CHUNK) await flush();
    }
    await flush();
    if (rejected > 0)
      rejections?.messages(
        req,
        res,
        rejected,
        errors.map((e) => `line ${e.line}: ${e.reason}`),
      );
    res
      .status(rejected > 0 && accepted === 0 ? 400 : 200)
      .json({ success: rejected === 0, accepted, rejected, errors });
  });

  return router;
}
