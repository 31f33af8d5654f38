import type { ReactNode } from 'react';

export interface PageProps {
  title: string;
  lede?: ReactNode;
  children?: ReactNode;
}

/** The standard page frame: one h1, an optional lede, then content. */
export function Page({ title, lede, children }: PageProps) {
  return (
    <main className="tw-page">
      <h1>{title}</h1>
      {lede ? <p className="tw-lede">{lede}</p> : null}
      {children}
    </main>
  );
}
