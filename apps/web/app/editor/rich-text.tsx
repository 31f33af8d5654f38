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
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed string
          <code key={i} className="name">
            {part.slice(1, -1)}
          </code>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed string
          <Fragment key={i}>{part}</Fragment>
        ),
      )}
    </>
  );
}
