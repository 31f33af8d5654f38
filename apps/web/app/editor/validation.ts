import { type RuleValidationError, validateWorkflow } from '@tripwire/rules';
import { createContext, useContext, useMemo } from 'react';
import { useEditorStore } from './editor-context';

const ErrorsContext = createContext<RuleValidationError[]>([]);
export const ErrorsProvider = ErrorsContext.Provider;

/** Validation as you edit: the same validateWorkflow the server runs at publish. */
export function useValidation(): RuleValidationError[] {
  const revision = useEditorStore((s) => s.revision);
  const document = useEditorStore((s) => s.document);
  const inputProblems = useEditorStore((s) => s.inputProblems);
  // The revision is what changes when the document does.
  const errors = useMemo(() => validateWorkflow(document()), [revision, document]);
  return useMemo(() => {
    const typed = Object.values(inputProblems);
    if (typed.length === 0) return errors;
    const nodes = document().nodes;
    // What is typed replaces the document's older complaint about the same field.
    const covered = new Set(typed.map((p) => `${p.nodeId}:${p.field}`));
    const rest = errors.filter((e) => !(e.nodeId && covered.has(`${e.nodeId}:${String(e.path[3] ?? '')}`)));
    return [
      ...typed.map((p) => ({
        nodeId: p.nodeId,
        path: ['nodes', nodes.findIndex((n) => n.id === p.nodeId), 'config', p.field],
        code: 'input.invalid',
        message: p.message,
      })),
      ...rest,
    ];
  }, [errors, inputProblems, document]);
}

export function useErrors(): RuleValidationError[] {
  return useContext(ErrorsContext);
}

export function useNodeErrors(nodeId: string): string[] {
  const errors = useErrors();
  return useMemo(() => errors.filter((e) => e.nodeId === nodeId).map((e) => e.message), [errors, nodeId]);
}
