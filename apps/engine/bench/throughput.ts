// Throughput on one pre-filled topic: first the no-op kafkajs consumer (the ceiling), then the real
// engine as a child process, each in its own consumer group. Both are timed the same way, from their
// first fetched batch until the group's committed offsets reach the end of the topic (the rate of
// consumption); the engine is also timed from its spawn (the rate including process start-up).
import { type EngineChild, type EngineChildOptions, startEngineChild } from './engine-child.ts';
import type { BenchKafka } from './kafka-tools.ts';

export async function measureCeiling(
  kafka: BenchKafka,
  topic: string,
  groupId: string,
  ends: Map<number, number>,
  options: { parse?: boolean } = {},
) {
  const started = performance.now();
  const consumer = await kafka.noopConsumer(groupId, topic, options);
  const done = await kafka.untilCommitted(groupId, topic, ends, 180_000, 25);
  const seen = consumer.seen();
  const firstBatch = consumer.firstBatchAt() ?? started;
  await consumer.stop();
  return { seconds: (done - firstBatch) / 1000, startSeconds: (firstBatch - started) / 1000, seen };
}

export async function measureEngine(
  kafka: BenchKafka,
  topic: string,
  groupId: string,
  ends: Map<number, number>,
  child: EngineChildOptions,
  /** Engine processes in the one consumer group (they share the topic's partitions). */
  count = 1,
): Promise<{
  engine: EngineChild;
  engines: EngineChild[];
  seconds: number;
  fromSpawnSeconds: number;
  readySeconds: number;
  firstBatchSeconds: number;
}> {
  const engines = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      startEngineChild(i === 0 ? child : { ...child, logFile: child.logFile?.replace(/\.log$/, `-${i + 1}.log`) }),
    ),
  );
  const engine = engines[0] as EngineChild;
  // The first batch is seen on the engine's own counter (polled: up to 25 ms late, against the engine).
  let firstBatch: number | undefined;
  let polling = false;
  const watcher = setInterval(() => {
    if (firstBatch !== undefined || polling) return;
    polling = true;
    const asked = performance.now();
    void Promise.all(engines.map((e) => e.metric('tripwire_events_consumed_total')))
      .then((counts) => {
        const consumed = counts.reduce((a, b) => a + b, 0);
        if (consumed > 0 && firstBatch === undefined) firstBatch = asked;
      })
      .catch(() => {})
      .finally(() => {
        polling = false;
      });
  }, 25);
  try {
    const done = await kafka.untilCommitted(groupId, topic, ends, 300_000, 25);
    const first = firstBatch ?? engine.spawnedAt;
    return {
      engine,
      engines,
      seconds: (done - first) / 1000,
      fromSpawnSeconds: (done - engine.spawnedAt) / 1000,
      readySeconds: ((engine.startedAt() ?? Number.NaN) - engine.spawnedAt) / 1000,
      firstBatchSeconds: (first - engine.spawnedAt) / 1000,
    };
  } catch (error) {
    await Promise.all(engines.map((e) => e.stop()));
    throw error;
  } finally {
    clearInterval(watcher);
  }
}
