import { z } from 'zod';
import { WORKFLOW_LIMITS } from './limits.ts';

// Workflow document v1: the export/import format and the public API's body. Field names follow
// React Flow (id, type, position, source, target, sourceHandle) so the canvas maps onto it 1:1.
// Keys other than these are ignored.

const id = z.string().min(1).max(100);

export const workflowNodeSchema = z.object({
  id,
  type: z.string().min(1).max(100),
  version: z.number().int().min(1).default(1),
  /** What the canvas calls this node ("Remind about the cart"); the type's label when absent. */
  label: z.string().max(80).optional(),
  config: z.record(z.string(), z.unknown()),
  position: z.object({ x: z.number(), y: z.number() }).optional(),
});

export const workflowEdgeSchema = z.object({
  id: id.optional(),
  source: id,
  target: id,
  sourceHandle: z.string().min(1).max(100).optional(),
});

export const workflowDocumentSchema = z.object({
  name: z.string().min(1).max(200),
  description: z.string().max(2000).optional(),
  nodes: z.array(workflowNodeSchema).max(WORKFLOW_LIMITS.maxNodes),
  edges: z.array(workflowEdgeSchema).max(WORKFLOW_LIMITS.maxEdges),
});

export type WorkflowNode = z.output<typeof workflowNodeSchema>;
export type WorkflowEdge = z.output<typeof workflowEdgeSchema>;
export type WorkflowDocument = z.output<typeof workflowDocumentSchema>;
/** What a client may send: `version` may be left out. */
export type WorkflowDocumentInput = z.input<typeof workflowDocumentSchema>;
