import type { Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { sameOrigin } from './csrf.ts';

function answer(headers: Record<string, string>, protocol = 'http') {
  let status = 200;
  const res = { status: (s: number) => ({ json: () => (status = s) }) } as unknown as Response;
  sameOrigin('http://localhost:3000')({ method: 'POST', headers, protocol } as unknown as Request, res, () => {
    status = 200;
  });
  return status;
}

describe('same-origin check', () => {
  it.each([
    [{ origin: 'http://localhost:3000' }, 200],
    [{ origin: 'https://localhost:3000' }, 403],
    [{ origin: 'http://localhost:3001' }, 403],
    [{ origin: 'http://localhost' }, 403],
    [{ origin: 'http://evil.example' }, 403],
    [{ origin: 'null' }, 403],
    [{}, 403],
    [{ referer: 'http://localhost:3000/app/keys' }, 200],
    [{ origin: 'http://127.0.0.1:4000', host: '127.0.0.1:4000' }, 200],
    [{ origin: 'https://127.0.0.1:4000', host: '127.0.0.1:4000' }, 403],
  ])('%j → %i', (headers, status) => {
    expect(answer(headers)).toBe(status);
  });
});
