import type { RequestHandler } from 'express';
import type { EventProducer } from './kafka/kafka-client.ts';
import type { WebMetrics } from './metrics.ts';

/** Counts and times ingestion requests when they are answered (endpoint = the route mounted). */
export function countIngestion(metrics: WebMetrics): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    res.once('finish', () => {
      const endpoint = req.baseUrl;
      metrics.requests.inc({ endpoint, status: String(res.statusCode) });
      metrics.requestSeconds.observe({ endpoint }, (performance.now() - started) / 1000);
    });
    next();
  };
}

/** The producer, counting the events Kafka acknowledged. */
export function countStored(producer: EventProducer, metrics: WebMetrics): EventProducer {
  return {
    ...producer,
    async send(messages) {
      await producer.send(messages);
      metrics.stored(messages.map((m) => m.key));
    },
  };
}
