import type { SimHandler } from './handler.ts';

/**
 * Renders the template fields as the engine does before enqueueing the job, and stops there:
 * nothing is sent. The rest of the config (url, method, topic) is shown as it would be used.
 */
export const simulateAction: SimHandler = ({ node, templates }, { data }) => {
  const rendered = Object.fromEntries(Object.entries(templates).map(([field, render]) => [field, render(data)]));
  const config = Object.fromEntries(Object.entries(node.config).filter(([field]) => !Object.hasOwn(templates, field)));
  return { output: node.next.next ? 'next' : undefined, detail: { rendered, sent: false, config } };
};
