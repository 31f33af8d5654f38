import { toHumanDuration } from '@tripwire/rules';

const human = (iso: unknown) => {
  if (typeof iso !== 'string') return '';
  try {
    const { value, unit } = toHumanDuration(iso);
    return `${value} ${value === 1 ? unit.replace(/s$/, '') : unit}`;
  } catch {
    return iso;
  }
};

/** One line under a node's title, so a flow reads without opening every node. */
export function summarize(type: string, c: Record<string, unknown>): string {
  switch (type) {
    case 'trigger.event':
      return c.event ? `on “${c.event}”${c.filter ? ' (filtered)' : ''}` : 'choose an event';
    case 'condition.if':
      return c.logic ? 'if the condition holds' : 'add a condition';
    case 'condition.count':
      return `${c.atLeast ?? '?'}× “${c.event ?? '?'}” within ${human(c.within)}`;
    case 'limit.frequency':
      return `at most ${c.max ?? '?'} per ${human(c.per)}`;
    case 'wait.delay':
      return `wait ${human(c.duration)}`;
    case 'wait.event':
      return `until “${c.event ?? '?'}”, give up after ${human(c.timeout)}`;
    case 'action.webhook':
      return `${c.method ?? 'POST'} ${c.url ?? 'set a URL'}`;
    case 'action.kafka':
      return `to topic ${c.topic ?? '?'}`;
    case 'action.log':
      return 'log a line';
    default:
      return '';
  }
}
