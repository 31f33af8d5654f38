// Throughput on one pre-filled topic: first the no-op kafkajs consumer (the ceiling), then the real
// engine as a child process, each in its own consumer group, each timed from its start until the
// group's committed offsets reach the end of the topic.
import { type EngineChild, type EngineChildOptions, startEngineChild } from './engine-child.ts';
import type { BenchKafka } from './kafka-tools.ts';

export async function measureCeiling(kafka: BenchKafka, topic: string, groupId: string, ends: Map<number, number>) {
  const started = performance.now();
  const consumer = await kafka.noopConsumer(groupId, topic);
  const done = await kafka.untilCommitted(groupId, topic, ends, 180_000, 50);
  const seen = consumer.seen();
  await consumer.stop();
  return { seconds: (done - started) / 1000, seen };
}

export async function measureEngine(
  kafka: BenchKafka,
  topic: string,
  groupId: string,
  ends: Map<number, number>,
  child: EngineChildOptions,
): Promise<{ engine: EngineChild; seconds: number; readySeconds: number; firstCommitSeconds: number }> {
  const engine = await startEngineChild(child);
  // The first commit marks the end of start-up work (pg-boss schema, workflow load, group join).
  let firstCommit: number | undefined;
  const total = [...ends.values()].reduce((a, b) => a + b, 0);
  const watcher = setInterval(() => {
    if (firstCommit !== undefined) return;
    void kafka
      .remaining(groupId, topic, ends)
      .then((left) => {
        if (left < total && firstCommit === undefined) firstCommit = performance.now();
      })
      .catch(() => {});
  }, 50);
  try {
    const done = await kafka.untilCommitted(groupId, topic, ends, 300_000, 50);
    return {
      engine,
      seconds: (done - engine.spawnedAt) / 1000,
      readySeconds: ((engine.startedAt() ?? Number.NaN) - engine.spawnedAt) / 1000,
      firstCommitSeconds: ((firstCommit ?? done) - engine.spawnedAt) / 1000,
    };
  } catch (error) {
    await engine.stop();
    throw error;
  } finally {
    clearInterval(watcher);
  }
}
