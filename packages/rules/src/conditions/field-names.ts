// How a rule's variable reads to a person: "event.properties.total" is "total", the trigger's
// copy is "the trigger's total", a profile trait is "user's plan". One mapping for the builder's
// menus, the canvas summaries and the diff.

const NAMED: Record<string, string> = {
  'event.name': 'event name',
  'event.userId': 'user id',
  'event.timestamp': 'event time',
  'event.messageId': 'message id',
  'trigger.name': "the trigger's event name",
  'trigger.userId': "the trigger's user id",
  'trigger.timestamp': "the trigger's time",
};

export function describeVariable(path: string): string {
  const named = NAMED[path];
  if (named) return named;
  if (path.startsWith('event.properties.')) return path.slice('event.properties.'.length);
  if (path.startsWith('trigger.properties.')) return `the trigger's ${path.slice('trigger.properties.'.length)}`;
  if (path.startsWith('user.')) return `user's ${path.slice('user.'.length)}`;
  const looked = /^lookup\.([^.]+)\.(.+)$/.exec(path);
  if (looked) return `${looked[2]} (looked up by ${looked[1]})`;
  return path;
}

/** Where a variable comes from, for grouping the builder's field menu. */
export function variableSource(path: string): 'event' | 'trigger' | 'user' | 'other' {
  const root = path.split('.')[0];
  return root === 'event' || root === 'trigger' || root === 'user' ? root : 'other';
}

/**
 * A path a person typed ("total", "cart.id", "user.plan") as the rule variable it means: a bare
 * name is a property of the event; a path with a known root is kept.
 */
export function variableFromTyped(typed: string): string {
  const text = typed.trim().replace(/\s+/g, '');
  if (text === '') return '';
  if (/^(event|trigger|user|lookup)\./.test(text)) return text;
  return `event.properties.${text}`;
}
