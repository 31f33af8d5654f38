// Path entries, waits and traces stamp times as ISO strings; a walk, its entry and the other
// versions replayed with it ask for the same instant in a row, and toISOString is not cheap.
let lastMs = Number.NaN;
let lastIso = '';

/** `new Date(ms).toISOString()`, remembered for the last instant asked. */
export function isoTime(ms: number): string {
  if (ms !== lastMs) {
    lastIso = new Date(ms).toISOString();
    lastMs = ms;
  }
  return lastIso;
}
