import type { WorkflowDocumentInput } from '@tripwire/rules';
import { createContext, type ReactNode, useContext, useState } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import { createEditorStore, type EditorState, type EditorStore } from './editor-store';

const EditorContext = createContext<EditorStore | null>(null);

export function EditorProvider({
  initial,
  readOnly,
  children,
}: {
  initial: WorkflowDocumentInput;
  readOnly?: boolean;
  children: ReactNode;
}) {
  const [store] = useState(() => createEditorStore(initial, { readOnly: readOnly ?? false }));
  return <EditorContext.Provider value={store}>{children}</EditorContext.Provider>;
}

export function useEditorStore<T>(selector: (state: EditorState) => T): T {
  const store = useContext(EditorContext);
  if (!store) throw new Error('useEditorStore outside EditorProvider');
  return useStore(store, useShallow(selector));
}

export function useEditorApi(): EditorStore {
  const store = useContext(EditorContext);
  if (!store) throw new Error('useEditorApi outside EditorProvider');
  return store;
}
