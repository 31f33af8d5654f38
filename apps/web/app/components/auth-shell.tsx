import type { ReactNode } from 'react';
import { Link } from 'react-router';

/** The frame of the signed-out pages: brand, one card, a link to the other form. */
export function AuthShell({ title, children, footer }: { title: string; children: ReactNode; footer: ReactNode }) {
  return (
    <main className="auth">
      <Link to="/" className="brand">
        Tripwire
      </Link>
      <div className="auth__card">
        <h1>{title}</h1>
        {children}
      </div>
      <p className="auth__footer">{footer}</p>
    </main>
  );
}
