import { describe, expect, it } from 'vitest';
import { andThen, drive, type Steps } from './maybe-async.ts';

// drive runs the walk for the engine (promises) and for replays (plain values): the same answers,
// the same errors, where the generator can catch them; synchronous only when nothing is a promise.

function* add(a: unknown, b: unknown): Steps<number> {
  const x = (yield a) as number;
  const y = (yield b) as number;
  return x + y;
}

function* guarded(answer: unknown): Steps<string> {
  try {
    yield answer;
    return 'answered';
  } catch (error) {
    return `caught ${(error as Error).message}`;
  }
}

describe('drive', () => {
  it('returns the result itself when every answer is a plain value', () => {
    expect(drive(add(1, 2))).toBe(3);
  });

  it('returns a promise from the first promise on, with the same result', async () => {
    const result = drive(add(1, Promise.resolve(2)));
    expect(result).toBeInstanceOf(Promise);
    expect(await result).toBe(3);
    expect(await drive(add(Promise.resolve(1), 2))).toBe(3);
  });

  it('throws a rejected answer into the generator, where its try/catch decides', async () => {
    expect(await drive(guarded(Promise.reject(new Error('no database'))))).toBe('caught no database');
    expect(drive(guarded('fine'))).toBe('answered');
  });

  it('lets an error the generator does not catch out, synchronously or as a rejection', async () => {
    function* fails(answer: unknown): Steps<never> {
      yield answer;
      throw new Error('broken');
    }
    expect(() => drive(fails(1))).toThrow('broken');
    await expect(drive(fails(Promise.resolve(1)))).rejects.toThrow('broken');
    await expect(drive(add(Promise.reject(new Error('gone')), 1))).rejects.toThrow('gone');
  });

  it('composes with yield*, without a promise unless one is yielded', () => {
    function* twice(): Steps<number> {
      return (yield* add(1, 2)) + (yield* add(3, 4));
    }
    expect(drive(twice())).toBe(10);
  });
});

describe('andThen', () => {
  it('applies at once to a value and after resolution to a promise', async () => {
    expect(andThen(2, (x) => x * 2)).toBe(4);
    expect(await andThen(Promise.resolve(2), (x) => x * 2)).toBe(4);
  });
});
