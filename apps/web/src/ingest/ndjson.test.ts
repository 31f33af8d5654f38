import { describe, expect, it } from 'vitest';
import { ndjsonLines } from './ndjson.ts';

async function lines(chunks: (string | Uint8Array)[], max = 10) {
  const out: unknown[] = [];
  async function* source() {
    yield* chunks;
  }
  for await (const line of ndjsonLines(source(), max)) out.push(line);
  return out;
}

describe('ndjsonLines', () => {
  it('splits on LF and CRLF across chunk boundaries, with or without a final newline', async () => {
    expect(await lines(['{"a":', '1}\n{"b"', ':2}\r\n', '\n', 'x'])).toEqual([
      { text: '{"a":1}' },
      { text: '{"b":2}' },
      { text: '' },
      { text: 'x' },
    ]);
    expect(await lines(['a\n'])).toEqual([{ text: 'a' }]);
    expect(await lines([])).toEqual([]);
  });

  it('keeps a multi-byte character that a chunk boundary splits', async () => {
    const bytes = Buffer.from('"é€"\n');
    expect(await lines([bytes.subarray(0, 2), bytes.subarray(2, 5), bytes.subarray(5)])).toEqual([{ text: '"é€"' }]);
  });

  it('reports a line over the limit without holding it, and goes on with the next', async () => {
    expect(await lines(['0123456789\n', '01234', '567890123', '4567\nok\n', 'x'.repeat(11)], 10)).toEqual([
      { text: '0123456789' },
      { oversized: true },
      { text: 'ok' },
      { oversized: true },
    ]);
  });
});
