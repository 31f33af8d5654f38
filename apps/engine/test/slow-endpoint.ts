// A customer's endpoint that takes its time: every request is answered after `delayMs`, and the
// server counts how many of Tripwire's requests it has open at once (the figure the endpoint limit
// must bound).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export async function startSlowEndpoint(delayMs: number) {
  let open = 0;
  let maxOpen = 0;
  let answered = 0;
  let status = 200;
  const server = createServer((req, res) => {
    open++;
    maxOpen = Math.max(maxOpen, open);
    req.resume();
    const timer = setTimeout(() => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end('{}', () => {
        answered++;
      });
    }, delayMs);
    res.on('close', () => {
      clearTimeout(timer);
      open--;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    /** Requests open right now, and the most ever open at once. */
    get open() {
      return open;
    },
    get maxOpen() {
      return maxOpen;
    },
    get answered() {
      return answered;
    },
    /** What it answers from now on (a 500 to fail every request). */
    answerWith(code: number) {
      status = code;
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
