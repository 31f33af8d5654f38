// Deep equality where leaves compare with Object.is (so -0, NaN and function identity count).
export function sameValue(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return (
      ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && sameValue((a as never)[k], (b as never)[k]))
    );
  }
  return false;
}

export type Outcome = { ok: true; value: unknown } | { ok: false };

export function outcome(run: () => unknown): Outcome {
  try {
    return { ok: true, value: run() };
  } catch {
    return { ok: false };
  }
}

export function sameOutcome(a: Outcome, b: Outcome): boolean {
  return a.ok === b.ok && (!a.ok || sameValue(a.value, (b as { value: unknown }).value));
}
