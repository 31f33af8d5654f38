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
): Promise<{
  engine: EngineChild;
  seconds: number;
  fromSpawnSeconds: number;
  readySeconds: number;
  firstBatchSeconds: number;
}> {
  const engine = await startEngineChild(child);
  // The first batch is seen on the engine's own counter (polled: up to 25 ms late, against the engine).
  let firstBatch: number | undefined;
  let polling = false;
  const watcher = setInterval(() => {
    if (firstBatch !== undefined || polling) return;
    polling = true;
    const asked = performance.now();
    void engine
      .metric('tripwire_events_consumed_total')
      .then((consumed) => {
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
      seconds: (done - first) / 1000,
      fromSpawnSeconds: (done - engine.spawnedAt) / 1000,
      readySeconds: ((engine.startedAt() ?? Number.NaN) - engine.spawnedAt) / 1000,
      firstBatchSeconds: (first - engine.spawnedAt) / 1000,
    };
  } catch (error) {
    await engine.stop();
    throw error;
  } finally {
    clearInterval(watcher);
  }
}
