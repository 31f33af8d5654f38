/**
 * Consumer lag in seconds: per partition, how old the newest processed event was when it was
 * processed; a partition with nothing left to read counts as 0. The gauge is the worst partition.
 */
export function createLagClock(now: () => number = Date.now) {
  const behind = new Map<number, number>();
  return {
    /** After a batch of `partition`: the produce time (ms) of its last message. */
    processed(partition: number, producedAtMs: number) {
      if (Number.isFinite(producedAtMs)) behind.set(partition, Math.max(0, (now() - producedAtMs) / 1000));
    },
    /** The worst partition, given each partition's messages left to read. */
    seconds(messagesLeft: ReadonlyMap<number, number>): number {
      let worst = 0;
      for (const [partition, left] of messagesLeft) {
        if (left === 0) behind.delete(partition);
        else worst = Math.max(worst, behind.get(partition) ?? 0);
      }
      return worst;
    },
  };
}
