import { ROW, starter } from './starter-template.ts';

export const highValueOrders = starter({
  id: 'high-value-orders',
  name: 'High-value purchase to Kafka',
  description: 'Publish every order of 500 or more to the high-value-orders topic, keyed by user.',
  document: {
    name: 'High-value purchase to Kafka',
    nodes: [
      {
        id: 'order-completed',
        type: 'trigger.event',
        config: { event: 'order_completed', filter: { '>=': [{ var: 'event.properties.total' }, 500] } },
        position: { x: 0, y: 0 },
      },
      {
        id: 'publish',
        type: 'action.kafka',
        config: {
          topic: 'high-value-orders',
          // Keyed by user so one user's orders stay in order on one partition.
          key: '{{ event.userId }}',
          value: {
            userId: '{{ event.userId }}',
            orderId: '{{ event.properties.orderId }}',
            total: '{{ event.properties.total }}',
            currency: '{{ event.properties.currency }}',
          },
        },
        position: { x: 0, y: ROW },
      },
    ],
    edges: [{ id: 'order-completed->publish', source: 'order-completed', target: 'publish' }],
  },
});
