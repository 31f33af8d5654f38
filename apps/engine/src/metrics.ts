import { Counter, collectDefaultMetrics, Registry } from 'prom-client';

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tripwire_engine_' });
  const eventsConsumed = new Counter({
    name: 'tripwire_events_consumed_total',
    help: 'Kafka messages read from the events topic',
    registers: [registry],
  });
  return { registry, eventsConsumed };
}
export type Metrics = ReturnType<typeof createMetrics>;
