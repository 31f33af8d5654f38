// One error shape for everything packages/rules rejects, so the canvas can mark the node (nodeId),
// the edge (edgeId) and the field (path) without knowing which check failed.

export type ErrorPath = (string | number)[];

export interface RuleValidationError {
  nodeId?: string;
  edgeId?: string;
  /** Where in the workflow document, e.g. ["nodes", 2, "config", "within"]. */
  path: ErrorPath;
  /** Stable, dotted machine code such as "duration.out_of_range"; the message is for people. */
  code: string;
  message: string;
}

/** Thrown by compileWorkflow for a document that does not validate. */
export class WorkflowValidationError extends Error {
  readonly errors: RuleValidationError[];
  constructor(errors: RuleValidationError[]) {
    super(`Workflow is invalid: ${errors.map((e) => e.message).join('; ')}`);
    this.name = 'WorkflowValidationError';
    this.errors = errors;
  }
}
