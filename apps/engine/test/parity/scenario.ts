// Random scenarios for the parity test: valid workflows over every built-in node type, and timed
// event sequences for several users. Times are chosen so the engine's wall-clock jitter (processing
// and resume latency, well under a second) cannot change an outcome: events arrive on even seconds,
// every wait ends on an odd second, and count windows are an odd number of seconds long.
import type { WorkflowDocumentInput } from '@tripwire/rules';
import fc from 'fast-check';

export const EVENT_NAMES = ['a', 'b', 'c'] as const;
export const USERS = ['u1', 'u2', 'u3'] as const;
export const TICK_SECONDS = 2;

export interface ScenarioEvent {
  tick: number;
  name: string;
  userId: string;
  properties: { n: number; k: string };
}

export interface Scenario {
  workflows: WorkflowDocumentInput[];
  events: ScenarioEvent[];
  traits: Record<string, { plan: string }>;
}

/** Where the actions go; filled in by the harness (the local receiver and a private topic). */
export interface Targets {
  url: string;
  topic: string;
}

const v = (path: string) => ({ var: path });

/** Rules over what the scenario's events and users carry; none of them throws. */
const rule: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  leaf: fc.oneof(
    fc.tuple(fc.constantFrom('>', '<', '>=', '=='), fc.integer({ min: 0, max: 9 })).map(([op, x]) => ({
      [op]: [v('event.properties.n'), x],
    })),
    fc.constantFrom('x', 'y').map((k) => ({ '==': [v('event.properties.k'), k] })),
    fc.constantFrom('free', 'pro').map((p) => ({ '==': [v('user.plan'), p] })),
    fc.constant({ '==': [v('event.properties.k'), v('trigger.properties.k')] }),
    fc.constant({ in: [v('event.properties.k'), ['x']] }),
  ),
  node: fc.oneof(
    { depthSize: 'small' },
    tie('leaf'),
    fc.tuple(fc.constantFrom('and', 'or'), fc.array(tie('node'), { minLength: 2, maxLength: 3 })).map(([op, xs]) => ({
      [op]: xs,
    })),
    tie('leaf').map((x) => ({ '!': [x] })),
  ),
})).node;

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });
const event = fc.constantFrom(...EVENT_NAMES);
/** Odd seconds, so a wait never ends on the even second an event arrives. */
const oddSeconds = (max: number) => fc.integer({ min: 0, max: (max - 1) / 2 }).map((i) => `PT${2 * i + 1}S`);

type Kind = 'if' | 'count' | 'cap' | 'delay' | 'wait' | 'webhook' | 'kafka' | 'log' | 'slack';
const KINDS: Kind[] = ['if', 'count', 'cap', 'delay', 'wait', 'webhook', 'kafka', 'log', 'slack'];

function nodeConfig(
  kind: Kind,
  id: string,
  t: Targets,
): fc.Arbitrary<{ type: string; config: Record<string, unknown> }> {
  const body = {
    node: id,
    n: '{{ event.properties.n }}',
    k: '{{ event.properties.k }}',
    from: '{{ trigger.messageId }}',
  };
  const withOnlyIf = <C extends Record<string, unknown>>(config: C) =>
    maybe(rule).map((onlyIf) => (onlyIf === undefined ? config : { ...config, onlyIf }));
  switch (kind) {
    case 'if':
      return rule.map((logic) => ({ type: 'condition.if', config: { logic } }));
    case 'count':
      return fc
        .record({ event, atLeast: fc.integer({ min: 1, max: 3 }), within: oddSeconds(7), filter: maybe(rule) })
        .map(({ filter, ...c }) => ({ type: 'condition.count', config: filter === undefined ? c : { ...c, filter } }));
    case 'cap':
      // Passes are marked at the engine's clock, so the window is a day: every pass in a scenario counts.
      return fc.integer({ min: 1, max: 2 }).map((max) => ({ type: 'limit.frequency', config: { max, per: 'P1D' } }));
    case 'delay':
      return oddSeconds(3).map((duration) => ({ type: 'wait.delay', config: { duration } }));
    case 'wait':
      return fc
        .record({ event, timeout: oddSeconds(5), match: maybe(rule) })
        .map(({ match, ...c }) => ({ type: 'wait.event', config: match === undefined ? c : { ...c, match } }));
    case 'webhook':
      return fc.constant({ type: 'action.webhook', config: { url: `${t.url}/hook/${id}`, body } });
    case 'kafka':
      return fc.constant({ type: 'action.kafka', config: { topic: t.topic, key: '{{ event.userId }}', value: body } });
    case 'log':
      return fc.constant({ type: 'action.log', config: { message: `${id} {{ event.name }}` } });
    case 'slack':
      return withOnlyIf({ webhookUrl: `${t.url}/slack/${id}`, text: `${id} {{ event.properties.n }}` }).map(
        (config) => ({
          type: 'action.slack',
          config,
        }),
      );
  }
}

/** A random DAG: nodes in order, each fed by one or two earlier nodes' outputs (branches and joins). */
function workflow(index: number, t: Targets): fc.Arbitrary<WorkflowDocumentInput> {
  return fc
    .record({
      trigger: event,
      filter: maybe(rule),
      kinds: fc.array(fc.constantFrom(...KINDS), { minLength: 2, maxLength: 7 }),
    })
    .chain(({ trigger, filter, kinds }) => {
      const ids = kinds.map((k, i) => `${k}${i}`);
      return fc
        .tuple(
          fc.tuple(...kinds.map((k, i) => nodeConfig(k, ids[i] as string, t))),
          // For each node: which earlier node feeds it (index into [trigger, ...nodes]) and a second, maybe.
          fc.tuple(...kinds.map((_, i) => fc.tuple(fc.nat(i), maybe(fc.nat(i)), fc.nat(1), fc.nat(1)))),
        )
        .map(([configs, feeds]) => {
          const nodes = [
            {
              id: 'start',
              type: 'trigger.event',
              config: filter === undefined ? { event: trigger } : { event: trigger, filter },
            },
            ...configs.map((c, i) => ({ id: ids[i] as string, ...c })),
          ];
          const outputs = (type: string): string[] =>
            ({
              'condition.if': ['true', 'false'],
              'condition.count': ['true', 'false'],
              'limit.frequency': ['pass', 'limited'],
              'wait.event': ['received', 'timeout'],
            })[type] ?? ['next'];
          const edges = new Map<string, { source: string; target: string; sourceHandle?: string }>();
          feeds.forEach(([first, second, h1, h2], i) => {
            const target = ids[i] as string;
            for (const [from, h] of [[first, h1], ...(second === undefined ? [] : [[second, h2]])] as [
              number,
              number,
            ][]) {
              const source = nodes[from] as { id: string; type: string };
              const handles = outputs(source.type);
              const sourceHandle = handles[h % handles.length] as string;
              edges.set(`${source.id}:${sourceHandle}->${target}`, {
                source: source.id,
                target,
                ...(handles.length > 1 ? { sourceHandle } : {}),
              });
            }
          });
          return { name: `parity ${index}`, nodes, edges: [...edges.values()] };
        });
    });
}

export function scenarios(t: Targets, size: { workflows: number; ticks: number }): fc.Arbitrary<Scenario> {
  return fc.record({
    workflows: fc.tuple(...Array.from({ length: size.workflows }, (_, i) => workflow(i, t))),
    events: fc
      .array(
        fc.record({
          tick: fc.integer({ min: 0, max: size.ticks - 1 }),
          name: event,
          userId: fc.constantFrom(...USERS),
          properties: fc.record({ n: fc.integer({ min: 0, max: 9 }), k: fc.constantFrom('x', 'y') }),
        }),
        { minLength: 3, maxLength: size.ticks * 3 },
      )
      .map((events) => events.sort((a, b) => a.tick - b.tick)),
    traits: fc.record(
      Object.fromEntries(USERS.map((u) => [u, fc.record({ plan: fc.constantFrom('free', 'pro') })])),
    ) as fc.Arbitrary<Scenario['traits']>,
  });
}
