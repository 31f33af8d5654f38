/** Due work in simulated time: earliest first, ties in the order they were set. */
export interface Timer<T> {
  at: number;
  seq: number;
  item: T;
}

export function createTimers<T>() {
  const due: Timer<T>[] = [];
  let seq = 0;
  return {
    set(at: number, item: T): Timer<T> {
      const timer = { at, seq: seq++, item };
      // Binary search for the first timer that is later (or equal and set after): stays sorted.
      let lo = 0;
      let hi = due.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((due[mid] as Timer<T>).at <= at) lo = mid + 1;
        else hi = mid;
      }
      due.splice(lo, 0, timer);
      return timer;
    },
    cancel(timer: Timer<T>) {
      const i = due.indexOf(timer);
      if (i >= 0) due.splice(i, 1);
    },
    /** The next timer due at or before `until`, taken off the list. */
    next(until: number): Timer<T> | undefined {
      const first = due[0];
      if (!first || first.at > until) return undefined;
      due.shift();
      return first;
    },
    size: () => due.length,
  };
}
