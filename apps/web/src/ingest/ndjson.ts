export type NdjsonLine = { text: string } | { oversized: true };

/**
 * Splits a byte stream into lines (LF or CRLF) without ever holding more than `maxBytes` of one
 * line: a longer line is dropped as it streams in and reported as `{ oversized: true }`, so one
 * huge line cannot exhaust memory. Lines are decoded as UTF-8 once complete (a character split
 * across chunks stays whole).
 */
export async function* ndjsonLines(input: AsyncIterable<Uint8Array | string>, maxBytes: number) {
  let parts: Buffer[] = [];
  let size = 0;
  let oversized = false;
  const finish = (): NdjsonLine => {
    let line: NdjsonLine = { oversized: true };
    if (!oversized) {
      let bytes = Buffer.concat(parts);
      if (bytes.at(-1) === 0x0d) bytes = bytes.subarray(0, -1);
      if (bytes.length <= maxBytes) line = { text: bytes.toString('utf8') };
    }
    parts = [];
    size = 0;
    oversized = false;
    return line;
  };

  for await (const chunk of input) {
    const bytes =
      typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    let start = 0;
    while (start < bytes.length) {
      const newline = bytes.indexOf(0x0a, start);
      const end = newline === -1 ? bytes.length : newline;
      if (!oversized) {
        size += end - start;
        // One byte of slack for the \r of a CRLF line, which is not part of the message.
        if (size > maxBytes + 1) {
          oversized = true;
          parts = [];
        } else parts.push(bytes.subarray(start, end));
      }
      if (newline === -1) break;
      yield finish();
      start = newline + 1;
    }
  }
  if (size > 0 || oversized) yield finish();
}
