import { type ReactNode, useCallback, useRef, useState } from 'react';
import { Dialog } from './dialog.tsx';

interface Ask {
  title: string;
  body?: ReactNode;
  confirmLabel: string;
  tone?: 'primary' | 'danger';
}

/**
 * `confirm()` in the app's own dialog: `const [dialog, ask] = useConfirm()`, render `dialog`,
 * then `if (await ask({...})) ...`.
 */
export function useConfirm(): [ReactNode, (ask: Ask) => Promise<boolean>] {
  const [current, setCurrent] = useState<Ask | null>(null);
  const resolve = useRef<((ok: boolean) => void) | null>(null);
  const ask = useCallback(
    (next: Ask) =>
      new Promise<boolean>((done) => {
        resolve.current?.(false);
        resolve.current = done;
        setCurrent(next);
      }),
    [],
  );
  const finish = (ok: boolean) => {
    resolve.current?.(ok);
    resolve.current = null;
    setCurrent(null);
  };
  const dialog = (
    <Dialog
      open={current !== null}
      title={current?.title ?? ''}
      confirmLabel={current?.confirmLabel ?? 'OK'}
      tone={current?.tone ?? 'primary'}
      onConfirm={() => finish(true)}
      onClose={() => finish(false)}
    >
      {typeof current?.body === 'string' ? <p>{current.body}</p> : current?.body}
    </Dialog>
  );
  return [dialog, ask];
}
