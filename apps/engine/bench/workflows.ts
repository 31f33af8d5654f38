// The eleven workflows every bench tenant publishes (100 tenants -> 1,100 workflows): a realistic mix
// of filtered triggers, conditions on event properties and on user traits, counters, frequency caps,
// delays and webhook/log actions. The last three exist for the latency and wait.delay measurements.
import type { WorkflowDocumentInput } from '@tripwire/rules';

type Node = WorkflowDocumentInput['nodes'][number];
const v = (path: string) => ({ var: path });
const hook = (id: string, url: string, body: Record<string, unknown> = {}): Node => ({
  id,
  type: 'action.webhook',
  config: { url, body: { user: '{{ event.userId }}', ...body } },
});
const log = (id: string, message: string): Node => ({ id, type: 'action.log', config: { message } });
const trigger = (event: string, filter?: unknown): Node => ({
  id: 'start',
  type: 'trigger.event',
  config: filter === undefined ? { event } : { event, filter },
});

const delayed = (name: string, event: string, seconds: number, url: string): WorkflowDocumentInput => ({
  name,
  nodes: [
    trigger(event),
    { id: 'later', type: 'wait.delay', config: { duration: `PT${seconds}S` } },
    hook('hook', url),
  ],
  edges: [
    { source: 'start', target: 'later' },
    { source: 'later', target: 'hook' },
  ],
});

/**
 * `receiver` is the bench's webhook receiver; `delaySeconds` this tenant's wait.delay for the waits
 * spread over two minutes (`spread`) and for the waits that fall due together (`burst`).
 */
export function benchWorkflows(
  receiver: string,
  delaySeconds: { spread: number; burst: number },
): Record<string, WorkflowDocumentInput> {
  return {
    vipPurchase: {
      name: 'VIP purchase',
      nodes: [
        trigger('order_completed', { '>': [v('event.properties.total'), 500] }),
        { id: 'pro', type: 'condition.if', config: { logic: { '==': [v('user.plan'), 'pro'] } } },
        hook('notify', `${receiver}/vip`, { total: '{{ event.properties.total }}' }),
        log('note', 'big order by a free user {{ event.userId }}'),
      ],
      edges: [
        { source: 'start', target: 'pro' },
        { source: 'pro', sourceHandle: 'true', target: 'notify' },
        { source: 'pro', sourceHandle: 'false', target: 'note' },
      ],
    },
    paymentAlert: {
      name: 'Third failed payment',
      nodes: [
        trigger('payment_failed'),
        { id: 'three', type: 'condition.count', config: { event: 'payment_failed', atLeast: 3, within: 'PT10M' } },
        hook('alert', `${receiver}/payments`),
      ],
      edges: [
        { source: 'start', target: 'three' },
        { source: 'three', sourceHandle: 'true', target: 'alert' },
      ],
    },
    dailyLogin: {
      name: 'First login of the day',
      nodes: [
        trigger('login', { '==': [v('event.properties.first_today'), true] }),
        { id: 'cap', type: 'limit.frequency', config: { max: 1, per: 'P1D' } },
        hook('greet', `${receiver}/login`),
      ],
      edges: [
        { source: 'start', target: 'cap' },
        { source: 'cap', sourceHandle: 'pass', target: 'greet' },
      ],
    },
    welcomeLater: {
      name: 'Trial welcome after an hour',
      nodes: [
        trigger('signed_up', { '==': [v('event.properties.plan'), 'trial'] }),
        { id: 'later', type: 'wait.delay', config: { duration: 'PT1H' } },
        hook('welcome', `${receiver}/welcome`),
      ],
      edges: [
        { source: 'start', target: 'later' },
        { source: 'later', target: 'welcome' },
      ],
    },
    bigCart: {
      name: 'Big cart in a launch country',
      nodes: [
        trigger('cart_updated', { '>=': [v('event.properties.items'), 10] }),
        {
          id: 'where',
          type: 'condition.if',
          config: { logic: { in: [v('event.properties.country'), ['DE', 'FR', 'NL']] } },
        },
        hook('sales', `${receiver}/cart`, { items: '{{ event.properties.items }}' }),
        log('elsewhere', 'big cart outside launch countries'),
      ],
      edges: [
        { source: 'start', target: 'where' },
        { source: 'where', sourceHandle: 'true', target: 'sales' },
        { source: 'where', sourceHandle: 'false', target: 'elsewhere' },
      ],
    },
    churnRisk: {
      name: 'Valuable customer cancelled',
      nodes: [
        trigger('subscription_cancelled'),
        { id: 'valuable', type: 'condition.if', config: { logic: { '>': [v('user.ltv'), 1000] } } },
        hook('save', `${receiver}/churn`, { ltv: '{{ user.ltv }}' }),
        log('bye', 'small customer cancelled'),
      ],
      edges: [
        { source: 'start', target: 'valuable' },
        { source: 'valuable', sourceHandle: 'true', target: 'save' },
        { source: 'valuable', sourceHandle: 'false', target: 'bye' },
      ],
    },
    exportPowerUser: {
      name: 'Export power user',
      nodes: [
        trigger('feature_used', {
          and: [{ '==': [v('event.properties.feature'), 'export'] }, { '>': [v('event.properties.count'), 5] }],
        }),
        log('power', 'power user {{ event.userId }}'),
      ],
      edges: [{ source: 'start', target: 'power' }],
    },
    errorSpike: {
      name: 'Severe error spike',
      nodes: [
        trigger('error_shown', { '==': [v('event.properties.severity'), 'high'] }),
        {
          id: 'spike',
          type: 'condition.count',
          config: {
            event: 'error_shown',
            atLeast: 5,
            within: 'PT5M',
            filter: { '==': [v('event.properties.severity'), 'high'] },
          },
        },
        hook('page', `${receiver}/errors`),
      ],
      edges: [
        { source: 'start', target: 'spike' },
        { source: 'spike', sourceHandle: 'true', target: 'page' },
      ],
    },
    ping: {
      name: 'Bench ping',
      nodes: [trigger('bench_ping'), hook('pong', `${receiver}/ping`, { sentAt: '{{ event.properties.sentAt }}' })],
      edges: [{ source: 'start', target: 'pong' }],
    },
    delayed: delayed('Bench delayed ping', 'bench_delayed', delaySeconds.spread, `${receiver}/delayed`),
    burst: delayed('Bench burst of waits', 'bench_burst', delaySeconds.burst, `${receiver}/burst`),
  };
}
