import { type ReactNode, useEffect, useId, useRef } from 'react';
import { Button } from './button.tsx';

export interface DialogProps {
  open: boolean;
  title: string;
  children?: ReactNode;
  /** The confirming button; none makes an information dialog with only "Close". */
  confirmLabel?: string;
  cancelLabel?: string;
  tone?: 'primary' | 'danger';
  busy?: boolean;
  confirmDisabled?: boolean;
  onConfirm?: () => void;
  onClose(): void;
  wide?: boolean;
}

/**
 * The app's own dialog instead of the browser's prompt/confirm: a native modal <dialog> (focus
 * kept inside, Escape closes, the page behind is inert), styled like the rest of the app.
 */
export function Dialog({
  open,
  title,
  children,
  confirmLabel,
  cancelLabel = 'Cancel',
  tone = 'primary',
  busy,
  confirmDisabled,
  onConfirm,
  onClose,
  wide,
}: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (open && !el.open) el.showModal();
    if (!open && el.open) el.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className={wide ? 'tw-dialog tw-dialog--wide' : 'tw-dialog'}
      aria-labelledby={`${id}-title`}
      onClose={onClose}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      {open ? (
        <form
          method="dialog"
          onSubmit={(e) => {
            e.preventDefault();
            if (onConfirm && !confirmDisabled) onConfirm();
          }}
        >
          <h2 id={`${id}-title`}>{title}</h2>
          <div className="tw-dialog__body">{children}</div>
          <div className="tw-dialog__actions">
            <Button onClick={onClose}>{onConfirm ? cancelLabel : 'Close'}</Button>
            {onConfirm ? (
              <Button type="submit" variant={tone} busy={busy} disabled={confirmDisabled}>
                {confirmLabel ?? 'OK'}
              </Button>
            ) : null}
          </div>
        </form>
      ) : null}
    </dialog>
  );
}
