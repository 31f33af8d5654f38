import { describe, expect, it } from 'vitest';
import { compileWorkflow } from '../compiler/compile-workflow.ts';
import { describeRun } from '../explain/describe-run.ts';
import { simulateRun } from '../simulate/simulate-run.ts';
import type { WorkflowDocumentInput } from '../workflow/document.ts';
import { consentFromContext, decideConsent } from './consent.ts';

const settings = { categories: ['marketing', 'analytics'], defaultCategory: 'marketing' };

describe('decideConsent', () => {
  it('uses the node’s category, else the workspace default; "none" and no default need nothing', () => {
    expect(decideConsent(settings, { marketing: true }, undefined)).toEqual({ category: 'marketing', granted: true });
    expect(decideConsent(settings, { marketing: true }, 'analytics')).toEqual({
      category: 'analytics',
      granted: false,
    });
    expect(decideConsent(settings, {}, 'none')).toBeNull();
    expect(decideConsent({ categories: [], defaultCategory: null }, undefined, undefined)).toBeNull();
  });

  it('is opt-in: a user who never answered has not consented', () => {
    expect(decideConsent(settings, undefined, undefined)).toEqual({ category: 'marketing', granted: false });
    expect(decideConsent(settings, { marketing: false }, undefined)?.granted).toBe(false);
  });
});

describe('consentFromContext (Segment’s consent shape)', () => {
  it('reads categoryPreferences, lower-cases names and keeps only true/false answers', () => {
    expect(
      consentFromContext({ consent: { categoryPreferences: { Marketing: true, Analytics: false, Ads: 'yes' } } }),
    ).toEqual({ marketing: true, analytics: false });
  });
  it('is undefined without consent, or with a malformed one', () => {
    expect(consentFromContext(undefined)).toBeUndefined();
    expect(consentFromContext({ consent: { categoryPreferences: [] } })).toBeUndefined();
    expect(consentFromContext({ consent: { categoryPreferences: { 'no spaces': true } } })).toBeUndefined();
  });
});

describe('an action without consent in a test run', () => {
  const doc: WorkflowDocumentInput = {
    name: 'consent',
    nodes: [
      { id: 't', type: 'trigger.event', config: { event: 'signed_up' } },
      { id: 'promo', type: 'action.log', config: { message: 'promo' } },
      { id: 'receipt', type: 'action.log', config: { message: 'receipt', consent: 'none' } },
    ],
    edges: [
      { source: 't', target: 'promo' },
      { source: 'promo', target: 'receipt' },
    ],
  };
  const plan = compileWorkflow(doc);
  const event = { name: 'signed_up', userId: 'u1' };

  it('is not sent, the trace says why, and the run goes on to actions that need no consent', async () => {
    const result = await simulateRun(plan, { event, consent: { settings, preferences: { marketing: false } } });
    expect(result.actions.map((a) => a.nodeId)).toEqual(['receipt']);
    const promo = result.steps.find((s) => s.nodeId === 'promo');
    expect(promo?.detail).toMatchObject({ skipped: 'consent', reason: 'no consent for marketing' });
    const words = describeRun(result.steps, doc).lines.map((l) => l.text);
    expect(words).toContain('Skipped: no consent for marketing');
  });

  it('is sent when the user granted the category', async () => {
    const result = await simulateRun(plan, { event, consent: { settings, preferences: { marketing: true } } });
    expect(result.actions.map((a) => a.nodeId)).toEqual(['promo', 'receipt']);
    expect(result.actions[0]?.payload).toEqual({ message: 'promo' });
  });
});
