/**
 * Errors an action executor throws on purpose. Anything else that escapes an executor is a crash (a bug)
 * and is logged as one; these are expected outcomes (a receiver answered 500, a URL points at a private
 * address) and go to the run record instead. `retriable` decides between pg-boss retry and dead letter.
 */

/** JSON-safe facts for the run record. Never put secrets, signatures or full URLs here. */
export type ErrorDetails = Readonly<Record<string, string | number | boolean>>;

export interface EngineErrorOptions {
  cause?: unknown;
  /** HTTP status of the answer that caused the error, when there was one. */
  status?: number;
  details?: ErrorDetails;
}

export class EngineError extends Error {
  /** Machine-readable, stable across releases: `<area>.<reason>`, e.g. `webhook.timeout`. */
  readonly code: string;
  readonly retriable: boolean;
  readonly status: number | undefined;
  readonly details: ErrorDetails;

  constructor(code: string, message: string, retriable: boolean, options: EngineErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retriable = retriable;
    this.status = options.status;
    this.details = options.details ?? {};
  }
}

export interface RetriableErrorOptions extends EngineErrorOptions {
  /** The other side asked us to wait (Retry-After); the queue should not retry sooner. */
  retryAfterMs?: number;
}

/** Worth trying again later: pg-boss retries the job with backoff. */
export class RetriableError extends EngineError {
  readonly retryAfterMs: number | undefined;

  constructor(code: string, message: string, options: RetriableErrorOptions = {}) {
    super(code, message, true, options);
    const wait = options.retryAfterMs;
    this.retryAfterMs = wait === undefined || !Number.isFinite(wait) ? undefined : Math.max(0, Math.round(wait));
  }
}

/** Trying again cannot help (bad config, refused address, 4xx): the job goes to the dead letter queue. */
export class PermanentError extends EngineError {
  constructor(code: string, message: string, options: EngineErrorOptions = {}) {
    super(code, message, false, options);
  }
}

/** True for errors thrown on purpose; false means a crash that deserves a stack trace in the logs. */
export function isExpectedError(error: unknown): error is RetriableError | PermanentError {
  return error instanceof RetriableError || error instanceof PermanentError;
}
