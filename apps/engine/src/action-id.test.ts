import { describe, expect, it } from 'vitest';
import { actionIdFor } from './action-id.ts';

describe('actionIdFor', () => {
  const run = '6f1c2f0e-8d7a-4c1b-9a55-0e6b0f3d2a11';

  it('is the same for the same arrival, so a retried or redelivered send keeps its webhook-id', () => {
    expect(actionIdFor(run, 'hook')).toBe(actionIdFor(run, 'hook'));
    expect(actionIdFor(run, 'hook', 'resume:a', 1)).toBe(actionIdFor(run, 'hook', 'resume:a', 1));
    expect(actionIdFor(run, 'hook')).toMatch(/^msg_[A-Za-z0-9_-]{26}$/);
  });

  it('differs for every arrival at the node: another branch of the walk, a walk after a resume', () => {
    const ids = [
      actionIdFor(run, 'hook'),
      actionIdFor(run, 'hook', undefined, 1),
      actionIdFor(run, 'hook', 'event:m7'),
      actionIdFor(run, 'hook', 'event:m7', 1),
      actionIdFor(run, 'hook', 'resume:b'),
      actionIdFor(run, 'other'),
      actionIdFor('0c0ffee0-0000-4000-8000-000000000000', 'hook'),
    ];
    expect(new Set(ids).size).toBe(ids.length);
  });
});
