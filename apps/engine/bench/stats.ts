// Figures: percentiles over sorted samples, and number formatting for the report.

export function percentiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
  return { n: sorted.length, p50: at(50), p95: at(95), p99: at(99), max: sorted[sorted.length - 1] ?? Number.NaN };
}

export const fmt = (n: number, digits = 1) => n.toLocaleString('en-US', { maximumFractionDigits: digits });
export const mb = (bytes: number) => `${fmt(bytes / 1024 / 1024, 0)} MB`;
export const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` every `everyMs` until it returns true or `timeoutMs` passed; false on timeout. */
export async function waitFor(probe: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 100) {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; i < timeoutMs / everyMs + 10 && Date.now() <= deadline; i++) {
    if (await probe()) return true;
    await sleep(everyMs);
  }
  return false;
}
