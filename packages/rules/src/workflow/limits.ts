// Hard limits for a workflow document. They bound work done on untrusted input (the public API
// accepts documents) and keep plans small enough to cache per tenant.
export const WORKFLOW_LIMITS = {
  maxNodes: 200,
  maxEdges: 1000,
  /** JSON nesting of the whole document, rules included. */
  maxDepth: 40,
  /** Values (objects, arrays, primitives) in the whole document. */
  maxValues: 50_000,
  maxStringLength: 20_000,
  /** Per rule inside a node config. */
  maxRuleDepth: 24,
  maxRuleNodes: 500,
} as const;
