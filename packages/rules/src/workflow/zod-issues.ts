import type { z } from 'zod';
import type { ErrorPath, RuleValidationError } from '../errors.ts';

/** zod issues -> our error shape; field helpers put our own code in `params.code`. */
export function fromZodIssues(
  issues: readonly z.core.$ZodIssue[],
  prefix: ErrorPath,
  ids: { nodeId?: string; edgeId?: string } = {},
): RuleValidationError[] {
  return issues.map((issue) => {
    const params = (issue as { params?: { code?: unknown } }).params;
    const code =
      issue.code === 'custom' && typeof params?.code === 'string'
        ? params.code
        : `${prefix[0] === 'nodes' && prefix[2] === 'config' ? 'config' : 'document'}.${issue.code}`;
    return {
      ...ids,
      path: [...prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
      code,
      message: issue.message,
    };
  });
}
