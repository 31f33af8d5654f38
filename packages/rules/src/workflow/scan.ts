import type { RuleValidationError } from '../errors.ts';
import { WORKFLOW_LIMITS } from './limits.ts';

// A cheap, iterative pass over untrusted input before zod sees it: it bounds depth and size (so
// nothing later can recurse too deep or run long) and refuses values JSON cannot carry.

export function scanDocument(input: unknown): RuleValidationError | undefined {
  const stack: { value: unknown; depth: number }[] = [{ value: input, depth: 0 }];
  let count = 0;
  while (stack.length > 0) {
    const { value, depth } = stack.pop() as { value: unknown; depth: number };
    if (++count > WORKFLOW_LIMITS.maxValues) {
      return {
        path: [],
        code: 'document.too_large',
        message: `Document has more than ${WORKFLOW_LIMITS.maxValues} values`,
      };
    }
    if (depth > WORKFLOW_LIMITS.maxDepth) {
      return {
        path: [],
        code: 'document.too_deep',
        message: `Document is nested deeper than ${WORKFLOW_LIMITS.maxDepth} levels`,
      };
    }
    if (typeof value === 'string') {
      if (value.length > WORKFLOW_LIMITS.maxStringLength) {
        return {
          path: [],
          code: 'document.too_large',
          message: `A string is longer than ${WORKFLOW_LIMITS.maxStringLength} characters`,
        };
      }
      continue;
    }
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) return { path: [], code: 'document.not_json', message: 'Numbers must be finite' };
      continue;
    }
    if (value === null || value === undefined || typeof value === 'boolean') continue;
    if (typeof value !== 'object') {
      return {
        path: [],
        code: 'document.not_json',
        message: `A ${typeof value} cannot be part of a workflow document`,
      };
    }
    // A cyclic value never ends up here twice in a way that matters: it exceeds maxDepth first.
    if (Array.isArray(value)) {
      for (const item of value) stack.push({ value: item, depth: depth + 1 });
    } else {
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        return {
          path: [],
          code: 'document.not_json',
          message: 'Only plain objects can be part of a workflow document',
        };
      }
      for (const key of Object.keys(value))
        stack.push({ value: (value as Record<string, unknown>)[key], depth: depth + 1 });
    }
  }
  return undefined;
}
