import { describe, expect, it } from 'vitest';
import { foresightOf } from './foresight';

const doc = { name: 'x', nodes: [{ id: 't', type: 'trigger.event', config: { event: 'a' } }], edges: [] };
const bt = (draft: number, live: number | null, over: Partial<Parameters<typeof foresightOf>[0] & object> = {}) => ({
  status: 'done',
  from: '2026-11-01T00:00:00.000Z',
  to: '2026-11-08T00:00:00.000Z',
  finishedAt: '2026-11-08T00:00:00.000Z',
  document: doc,
  result: { draft: { actions: draft }, live: live === null ? null : { actions: live } },
  ...over,
});
const now = Date.parse('2026-11-08T01:00:00.000Z');

describe('foresightOf', () => {
  it('gives actions per day for the draft and live from a recent backtest of the same draft', () => {
    expect(foresightOf(bt(70, 35), structuredClone(doc), now)).toEqual({
      draftPerDay: 10,
      livePerDay: 5,
      needsConfirmation: false,
    });
  });
  it('asks for confirmation when the draft fires 10x the live actions or more', () => {
    expect(foresightOf(bt(700, 70), doc, now)?.needsConfirmation).toBe(true);
    expect(foresightOf(bt(690, 70), doc, now)?.needsConfirmation).toBe(false);
    // From nothing live-fired to at least 10 a week: also a jump worth a second look.
    expect(foresightOf(bt(70, 0), doc, now)?.needsConfirmation).toBe(true);
  });
  it('says nothing for another draft, an old or unfinished backtest', () => {
    expect(foresightOf(bt(70, 35), { ...doc, name: 'y' }, now)).toBeNull();
    expect(foresightOf(bt(70, 35), doc, now + 2 * 86_400_000)).toBeNull();
    expect(foresightOf(bt(70, 35, { status: 'running', result: null }), doc, now)).toBeNull();
  });
});
