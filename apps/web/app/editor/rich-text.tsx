import { Fragment } from 'react';

/**
 * Text from node definitions and summaries: `code` and “names” are shown as code, so an event
 * name reads exactly as it must be sent (order_completed, not "order completed").
 */
export function RichText({ text }: { text: string }) {
  const parts = text.split(/(`[^`]+`|“[^”]+”)/g);
  return (
    <>
      {parts.map((part, i) =>
        /^`.*`$|^“.*”$/.test(part) ? (
          <code key={i} className="name">
            {part.slice(1, -1)}
          </code>
        ) : (
          <Fragment key={i}>{part}</Fragment>
        ),
      )}
    </>
  );
}
