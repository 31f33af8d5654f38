import { type RuleValidationError, validateWorkflow } from '@tripwire/rules';
import { createContext, useContext, useMemo } from 'react';
import { useEditorStore } from './editor-context';

const ErrorsContext = createContext<RuleValidationError[]>([]);
export const ErrorsProvider = ErrorsContext.Provider;

/** Validation as you edit: the same validateWorkflow the server runs at publish. */
export function useValidation(): RuleValidationError[] {
  const revision = useEditorStore((s) => s.revision);
  const document = useEditorStore((s) => s.document);
  // The revision is what changes when the document does.
  return useMemo(() => validateWorkflow(document()), [revision, document]);
}

export function useErrors(): RuleValidationError[] {
  return useContext(ErrorsContext);
}

export function useNodeErrors(nodeId: string): string[] {
  const errors = useErrors();
  return useMemo(() => errors.filter((e) => e.nodeId === nodeId).map((e) => e.message), [errors, nodeId]);
}
