import { ROW, starter } from './starter-template.ts';

export const failedPayments = starter({
  id: 'failed-payments',
  name: '3 failed payments in 10 minutes',
  description: 'Alert when a user fails to pay three times within ten minutes, at most once an hour per user.',
  document: {
    name: '3 failed payments in 10 minutes',
    nodes: [
      { id: 'payment-failed', type: 'trigger.event', config: { event: 'payment_failed' }, position: { x: 0, y: 0 } },
      {
        id: 'three-in-ten',
        type: 'condition.count',
        config: { event: 'payment_failed', atLeast: 3, within: 'PT10M' },
        position: { x: 0, y: ROW },
      },
      {
        id: 'once-an-hour',
        type: 'limit.frequency',
        // The fourth and fifth failure are still "3 in 10 minutes"; one alert is enough.
        config: { max: 1, per: 'PT1H' },
        position: { x: 0, y: 2 * ROW },
      },
      {
        id: 'alert',
        type: 'action.webhook',
        config: {
          url: 'https://hooks.example.com/payment-alerts',
          method: 'POST',
          body: {
            text: '{{ event.userId }} failed to pay 3 times in 10 minutes',
            userId: '{{ event.userId }}',
            reason: '{{ event.properties.reason }}',
            amount: '{{ event.properties.amount }}',
          },
        },
        position: { x: 0, y: 3 * ROW },
      },
    ],
    edges: [
      { id: 'payment-failed->three-in-ten', source: 'payment-failed', target: 'three-in-ten' },
      { id: 'three-in-ten:true', source: 'three-in-ten', sourceHandle: 'true', target: 'once-an-hour' },
      { id: 'once-an-hour:pass', source: 'once-an-hour', sourceHandle: 'pass', target: 'alert' },
    ],
  },
});
