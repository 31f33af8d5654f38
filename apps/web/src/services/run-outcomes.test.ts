import { describe, expect, it } from 'vitest';
import { type ActionOutcome, overall } from './run-outcomes.ts';

const action = (state: ActionOutcome['state']): ActionOutcome => ({
  nodeId: 'n',
  actionId: `a-${state}`,
  state,
  attempts: state === 'delivered' ? 0 : 1,
  lastStatus: state === 'failed' ? 403 : null,
  error: null,
});

describe('a run’s outcome from its actions', () => {
  it('is the worst of them: one failed webhook makes the run failed', () => {
    expect(overall([action('delivered'), action('failed'), action('retrying')])).toBe('failed');
    expect(overall([action('delivered'), action('retrying')])).toBe('retrying');
    expect(overall([action('delivered'), action('queued')])).toBe('queued');
    expect(overall([action('queued'), action('retrying')])).toBe('retrying');
    expect(overall([action('delivered')])).toBe('delivered');
    expect(overall([])).toBe('no_actions');
  });

  it('is "skipped" only when every action was skipped for want of consent; otherwise it does not count', () => {
    expect(overall([action('skipped')])).toBe('skipped');
    expect(overall([action('skipped'), action('delivered')])).toBe('delivered');
    expect(overall([action('skipped'), action('queued')])).toBe('queued');
  });
});
