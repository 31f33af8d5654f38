import type { ErrorRequestHandler } from 'express';
import type { z } from 'zod';
import { QuotaExceeded } from '../services/workflow-quota.ts';

/** An expected failure with a status and a reason the caller can act on. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  details: unknown;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: string,
    message: string,
    options: { details?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = options.details;
    this.headers = options.headers ?? {};
  }
}

export function invalid(error: z.ZodError, message = 'The request is invalid'): HttpError {
  return new HttpError(400, 'invalid_request', message, { details: zodIssues(error) });
}

export function zodIssues(error: z.ZodError) {
  return error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

export interface ErrorLogger {
  error(obj: object, msg: string): void;
}

/**
 * The one place errors become HTTP responses: `{ error: { code, message, details? } }`.
 * Expected errors are answered, not logged as crashes; anything else is a 500 without internals.
 */
export function errorHandler(logger: ErrorLogger): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    if (err instanceof HttpError) {
      res.set(err.headers);
      res.status(err.status).json({ error: { code: err.code, message: err.message, details: err.details } });
      return;
    }
    if (err instanceof QuotaExceeded) {
      res.status(403).json({
        error: { code: 'quota_exceeded', message: err.message, details: { quota: err.quota, limit: err.limit } },
      });
      return;
    }
    // body-parser's own errors carry a status and a type.
    const status = typeof err?.status === 'number' ? err.status : 500;
    if (err?.type === 'entity.too.large') {
      res
        .status(413)
        .json({ error: { code: 'payload_too_large', message: `Request body is over ${err.limit} bytes` } });
      return;
    }
    if (err?.type === 'entity.parse.failed') {
      res.status(400).json({ error: { code: 'invalid_json', message: 'The request body is not valid JSON' } });
      return;
    }
    if (status >= 400 && status < 500) {
      res.status(status).json({ error: { code: 'bad_request', message: String(err?.message ?? 'Bad request') } });
      return;
    }
    logger.error({ err }, 'unhandled error in /v1');
    res.status(500).json({ error: { code: 'internal', message: 'Something went wrong on our side' } });
  };
}
