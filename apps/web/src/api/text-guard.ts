import { describeTextIssue, describeTextPath, findTextIssue, textIssueMessage, textProblem } from '@tripwire/rules';
import express, { type RequestHandler } from 'express';
import { HttpError } from './http-error.ts';

// The shared text policy (@tripwire/rules wire/text-policy.ts) at the HTTP door: text holding a
// NUL or an unpaired surrogate never reaches Postgres, which would refuse it with a 500. Ingestion
// applies the policy per message instead (a batch keeps its good messages; see ingest/messages.ts).

/** Refuses a request whose address (path segments, query) holds text that cannot be stored. */
export const refuseUnstorableAddress: RequestHandler = (req, _res, next) => {
  for (const segment of req.path.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return next(new HttpError(400, 'invalid_request', 'The address is not valid percent-encoded UTF-8'));
    }
    const problem = textProblem(decoded);
    if (problem) {
      return next(new HttpError(400, 'invalid_request', `The address ${textIssueMessage({ problem, inKey: false })}`));
    }
  }
  const issue = findTextIssue(req.query);
  if (issue) {
    const message = describeTextIssue({ ...issue, path: ['query', ...issue.path] });
    return next(new HttpError(400, 'invalid_request', `The query is invalid: ${message}`));
  }
  next();
};

/** Refuses a parsed JSON body holding text that cannot be stored, naming the field. */
export const refuseUnstorableBody: RequestHandler = (req, _res, next) => {
  const issue = findTextIssue(req.body);
  if (!issue) return next();
  next(
    new HttpError(400, 'invalid_request', 'The request is invalid', {
      details: [{ path: describeTextPath(issue.path), message: textIssueMessage(issue) }],
    }),
  );
};

/** express.json followed by refuseUnstorableBody: a JSON body of at most `limit` that can be stored. */
export function storableJson(limit: string | number): RequestHandler {
  const parse = express.json({ limit });
  return (req, res, next) =>
    parse(req, res, (error?: unknown) => (error ? next(error) : refuseUnstorableBody(req, res, next)));
}
