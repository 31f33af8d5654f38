import { cartAbandonment } from './cart-abandonment.ts';
import { failedPayments } from './failed-payments.ts';
import { highValueOrders } from './high-value-orders.ts';
import type { StarterTemplate } from './starter-template.ts';
import { welcomeSeries } from './welcome-series.ts';

/** "New workflow from template" in the editor. Frozen: structuredClone a document before editing it. */
export const starterTemplates: readonly StarterTemplate[] = Object.freeze([
  cartAbandonment,
  failedPayments,
  welcomeSeries,
  highValueOrders,
]);
