import { COLUMN, ROW, starter } from './starter-template.ts';

export const cartAbandonment = starter({
  id: 'cart-abandonment',
  name: 'Cart abandonment',
  description: 'When a cart is updated and no order for that cart follows within an hour, send the cart to a webhook.',
  document: {
    name: 'Cart abandonment',
    description: 'Sends abandoned carts to a webhook one hour after the last update without an order.',
    nodes: [
      { id: 'cart-updated', type: 'trigger.event', config: { event: 'cart_updated' }, position: { x: 0, y: 0 } },
      {
        id: 'wait-for-order',
        type: 'wait.event',
        config: {
          event: 'order_completed',
          // Only an order for this cart ends the wait, not any order by the user.
          match: { '==': [{ var: 'event.properties.cartId' }, { var: 'trigger.properties.cartId' }] },
          timeout: 'PT1H',
        },
        position: { x: 0, y: ROW },
      },
      {
        id: 'send-cart',
        type: 'action.webhook',
        config: {
          url: 'https://hooks.example.com/abandoned-cart',
          method: 'POST',
          body: {
            userId: '{{ trigger.userId }}',
            cartId: '{{ trigger.properties.cartId }}',
            cart: '{{ trigger.properties }}',
            updatedAt: '{{ trigger.timestamp }}',
          },
        },
        // Under the wait's right-hand output (timeout), so the two edges do not cross.
        position: { x: COLUMN, y: 2 * ROW },
      },
      {
        id: 'log-order',
        type: 'action.log',
        config: { message: 'Cart {{ trigger.properties.cartId }} was ordered' },
        position: { x: -COLUMN, y: 2 * ROW },
      },
    ],
    edges: [
      { id: 'cart-updated->wait-for-order', source: 'cart-updated', target: 'wait-for-order' },
      { id: 'wait-for-order:timeout', source: 'wait-for-order', sourceHandle: 'timeout', target: 'send-cart' },
      { id: 'wait-for-order:received', source: 'wait-for-order', sourceHandle: 'received', target: 'log-order' },
    ],
  },
});
