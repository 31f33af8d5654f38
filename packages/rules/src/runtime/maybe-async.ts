// One walk for two kinds of state: the engine's answers come from Postgres (promises), a replay's
// from memory (plain values). Code that may meet either is written once, as a generator that
// `yield`s each answer it waits for, and `drive` runs it: synchronously while the answers are plain
// values, asynchronously from the first promise on. Replays (backtests over millions of events,
// "why not?" over 10,000) then pay no promise or microtask per step; the engine awaits as before.

export type MaybePromise<T> = T | Promise<T>;

/** A generator that yields what it waits for and is resumed with its value (or its error thrown in). */
export type Steps<T> = Generator<unknown, T, unknown>;

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  (typeof value === 'object' || typeof value === 'function') &&
  value !== null &&
  typeof (value as { then?: unknown }).then === 'function';

/** `then(value)` now when `value` is plain, after it resolves when it is a promise. */
export function andThen<T, R>(value: MaybePromise<T>, then: (value: T) => MaybePromise<R>): MaybePromise<R> {
  return isThenable(value) ? (value as Promise<T>).then(then) : then(value as T);
}

async function finish<T>(steps: Steps<T>, pending: PromiseLike<unknown>): Promise<T> {
  for (;;) {
    let next: IteratorResult<unknown, T>;
    try {
      const value = await pending;
      next = steps.next(value);
    } catch (error) {
      // The awaited answer failed: thrown where the generator waited (its try/catch decides).
      // steps.next() itself throwing lands here too, and throwing it into a finished generator
      // rethrows it.
      next = steps.throw(error);
    }
    while (!next.done && !isThenable(next.value)) next = steps.next(next.value);
    if (next.done) return next.value;
    pending = next.value as PromiseLike<unknown>;
  }
}

/**
 * Runs `steps` to its end: the result itself when every yielded value was plain, a promise of it
 * from the first yielded promise on. A yielded plain value comes straight back, as `await` would
 * give it.
 */
export function drive<T>(steps: Steps<T>): MaybePromise<T> {
  let next = steps.next();
  while (!next.done) {
    if (isThenable(next.value)) return finish(steps, next.value);
    next = steps.next(next.value);
  }
  return next.value;
}
