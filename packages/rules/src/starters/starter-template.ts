import type { WorkflowDocumentInput } from '../workflow/document.ts';

export interface StarterTemplate {
  id: string;
  name: string;
  description: string;
  document: WorkflowDocumentInput;
}

/** Vertical distance between consecutive nodes on the canvas. */
export const ROW = 140;
/** Horizontal offset of the two branches below a node with two outputs. */
export const COLUMN = 180;

/** Starters are shared module state: frozen, so an editor that forgets to clone cannot alter them. */
export function starter(template: StarterTemplate): StarterTemplate {
  return deepFreeze(template);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}
