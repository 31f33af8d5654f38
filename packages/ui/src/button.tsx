import type { ButtonHTMLAttributes } from 'react';

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: 'primary' | 'secondary' | 'danger' | 'ghost';
  busy?: boolean;
}

export function Button({ variant = 'secondary', busy = false, className, children, disabled, ...rest }: ButtonProps) {
  return (
    <button
      type="button"
      {...rest}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
      className={['tw-button', `tw-button--${variant}`, className].filter(Boolean).join(' ')}
    >
      {busy ? <span className="tw-spinner" aria-hidden="true" /> : null}
      {children}
    </button>
  );
}
