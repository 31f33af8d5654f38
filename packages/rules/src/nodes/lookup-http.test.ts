import { describe, expect, it } from 'vitest';
import { compileWorkflow } from '../compiler/compile-workflow.ts';
import { describeRun } from '../explain/describe-run.ts';
import { simulateRun } from '../simulate/simulate-run.ts';
import { simulateWorkflow } from '../simulate/simulate-workflow.ts';
import type { LookupAnswer, LookupRequest } from '../wire/lookup.ts';
import { validateWorkflow } from '../workflow/validate.ts';

const now = new Date('2025-03-01T12:00:00.000Z');
const TOKEN = 'Bearer tok-5ecret';

const lookupNode = (config: Record<string, unknown> = {}) => ({
  id: 'lu',
  type: 'lookup.http',
  config: {
    url: 'https://api.example.com/users/{{ event.userId }}?page={{ event.properties.page }}',
    headers: { 'X-Page': '{{ event.properties.page }}' },
    secretHeaders: { Authorization: TOKEN },
    cacheFor: 'PT10M',
    ...config,
  },
});

/** trigger -> lu -(ok)-> is-pro -(true)-> notify; lu -(error)-> fallback. */
function doc(config: Record<string, unknown> = {}) {
  return {
    name: 'enrich',
    nodes: [
      { id: 't', type: 'trigger.event', config: { event: 'visit' } },
      lookupNode(config),
      { id: 'is-pro', type: 'condition.if', config: { logic: { '==': [{ var: 'lookup.lu.plan' }, 'pro'] } } },
      {
        id: 'notify',
        type: 'action.webhook',
        config: {
          url: 'https://hooks.example.com/pro',
          body: { plan: '{{ lookup.lu.plan }}', seats: '{{ lookup.lu.seats }}' },
        },
      },
      { id: 'fallback', type: 'action.log', config: { message: 'no profile for {{ event.userId }}' } },
    ],
    edges: [
      { source: 't', target: 'lu' },
      { source: 'lu', sourceHandle: 'ok', target: 'is-pro' },
      { source: 'is-pro', sourceHandle: 'true', target: 'notify' },
      { source: 'lu', sourceHandle: 'error', target: 'fallback' },
    ],
  };
}

const event = { name: 'visit', userId: 'a/b c', properties: { page: 'pricing & plans' } };

function answering(answer: LookupAnswer) {
  const asked: LookupRequest[] = [];
  const lookup = async (_nodeId: string, request: LookupRequest) => {
    asked.push(request);
    return answer;
  };
  return { asked, lookup };
}

describe('lookup.http: the step', () => {
  it('asks with the URL placeholders encoded and every header, and later nodes read the answer', async () => {
    const api = answering({ ok: true, status: 200, value: { plan: 'pro', seats: 12 }, durationMs: 31, cached: false });
    const result = await simulateWorkflow(doc(), { event, now, lookup: api.lookup });
    if (!('steps' in result)) throw new Error(JSON.stringify(result.errors));
    expect(api.asked).toEqual([
      {
        url: 'https://api.example.com/users/a%2Fb%20c?page=pricing%20%26%20plans',
        headers: { 'X-Page': 'pricing & plans', Authorization: TOKEN },
        timeoutMs: 2000,
        cacheForMs: 600_000,
      },
    ]);
    expect(result.steps.map((s) => [s.nodeId, s.output])).toEqual([
      ['t', 'next'],
      ['lu', 'ok'],
      ['is-pro', 'true'],
      ['notify', 'next'],
    ]);
    expect(result.steps[2]?.detail).toMatchObject({ result: true, read: { 'lookup.lu.plan': 'pro' } });
    expect(result.actions[0]?.payload.body).toEqual({ plan: 'pro', seats: 12 });
    // The step shows the request with the secret header by name only, and the whole answer.
    expect(result.steps[1]?.detail).toEqual({
      lookup: {
        url: 'https://api.example.com/users/a%2Fb%20c?page=pricing%20%26%20plans',
        headers: { 'X-Page': 'pricing & plans', Authorization: '[redacted]' },
        outcome: 'ok',
        status: 200,
        cached: false,
        durationMs: 31,
      },
      value: { plan: 'pro', seats: 12 },
    });
    expect(JSON.stringify(result)).not.toContain('tok-5ecret');
    const story = describeRun(result.steps, doc());
    expect(story.lines[1]?.text).toBe(
      'Looked up https://api.example.com/users/a%2Fb%20c?page=pricing%20%26%20plans: 200, {"plan":"pro","seats":12} → ok',
    );
  });

  it('takes the error output on a failure (a time-out, a 5xx) and the run goes on there', async () => {
    for (const answer of [
      { ok: false, reason: 'timeout', message: 'no answer within 2000 ms', durationMs: 2001 },
      { ok: false, reason: 'status', status: 503, message: 'api.example.com answered 503', durationMs: 12 },
    ] as const) {
      const result = await simulateWorkflow(doc(), { event, now, lookup: answering(answer).lookup });
      if (!('steps' in result)) throw new Error('invalid');
      expect(result.error).toBeUndefined();
      expect(result.steps.map((s) => [s.nodeId, s.output])).toEqual([
        ['t', 'next'],
        ['lu', 'error'],
        ['fallback', 'next'],
      ]);
      expect(result.steps[1]?.detail.lookup).toMatchObject({ outcome: 'failed', reason: answer.reason });
      expect(describeRun(result.steps, doc()).lines[1]).toMatchObject({
        text: `Look-up of https://api.example.com/users/a%2Fb%20c?page=pricing%20%26%20plans failed: ${answer.message} → error`,
        tone: 'no',
      });
    }
  });

  it('is not called in replays ("why not?", backtests): the error output, and the trace says why', async () => {
    const result = await simulateRun(compileWorkflow(doc()), { event, now });
    expect(result.steps.map((s) => [s.nodeId, s.output])).toEqual([
      ['t', 'next'],
      ['lu', 'error'],
      ['fallback', 'next'],
    ]);
    expect(result.steps[1]?.detail.lookup).toMatchObject({ outcome: 'not_called' });
    expect(describeRun(result.steps, doc()).lines[1]).toMatchObject({ tone: 'skip' });
  });

  it('keeps the answer with the run: nodes after a wait still read it', async () => {
    const waited = doc();
    waited.nodes.push({ id: 'later', type: 'wait.delay', config: { duration: 'PT1H' } } as never);
    waited.edges = waited.edges.map((e) => (e.target === 'notify' ? { ...e, target: 'later' } : e));
    waited.edges.push({ source: 'later', target: 'notify' } as never);
    const api = answering({ ok: true, status: 200, value: { plan: 'pro', seats: 3 }, durationMs: 5, cached: true });
    const result = await simulateWorkflow(waited, { event, now, lookup: api.lookup });
    if (!('steps' in result)) throw new Error(JSON.stringify(result.errors));
    expect(result.steps.map((s) => s.nodeId)).toEqual(['t', 'lu', 'is-pro', 'later', 'later', 'notify']);
    expect(result.actions[0]?.payload.body).toEqual({ plan: 'pro', seats: 3 });
    expect(api.asked).toHaveLength(1);
  });
});

describe('lookup.http: an event cannot make the request any size', () => {
  it('does not call out when a filled-in URL or header is over the limit or unsendable, and says why', async () => {
    const cases = [
      { properties: { page: 'x'.repeat(9000) }, reason: /the URL is \d+ characters once filled in; at most 8000/ },
      { properties: { page: 'ok\r\nInjected: yes' }, reason: /the X-Page header cannot be sent/ },
    ];
    for (const c of cases) {
      const api = answering({ ok: true, status: 200, value: { plan: 'pro' }, durationMs: 1, cached: false });
      const result = await simulateWorkflow(doc(), {
        event: { ...event, properties: c.properties },
        now,
        lookup: api.lookup,
      });
      if (!('steps' in result)) throw new Error(JSON.stringify(result.errors));
      expect(api.asked).toHaveLength(0);
      expect(result.steps.map((s) => [s.nodeId, s.output])).toEqual([
        ['t', 'next'],
        ['lu', 'error'],
        ['fallback', 'next'],
      ]);
      const detail = result.steps[1]?.detail.lookup as { reason: string; message: string; url: string };
      expect(detail.reason).toBe('invalid_request');
      expect(detail.message).toMatch(c.reason);
      expect(detail.url.length).toBeLessThanOrEqual(8001);
    }
  });
});

describe('lookup.http: answers are kept as they may be stored', () => {
  it('cleans a NUL in a string, and takes the error output for a key that has one', async () => {
    const clean = answering({ ok: true, status: 200, value: { plan: 'p\u0000ro' }, durationMs: 1, cached: false });
    const cleaned = await simulateWorkflow(doc(), { event, now, lookup: clean.lookup });
    if (!('steps' in cleaned)) throw new Error('invalid');
    expect(cleaned.steps[1]?.detail.value).toEqual({ plan: 'p\ufffdro' });
    const broken = answering({ ok: true, status: 200, value: { 'a\u0000b': 1 }, durationMs: 1, cached: false });
    const refused = await simulateWorkflow(doc(), { event, now, lookup: broken.lookup });
    if (!('steps' in refused)) throw new Error('invalid');
    expect(refused.steps[1]).toMatchObject({
      output: 'error',
      detail: { lookup: { outcome: 'failed', reason: 'not_json', message: expect.stringContaining('NUL') } },
    });
  });
});

describe('lookup.http: validation says what is wrong', () => {
  const problems = (config: Record<string, unknown>) =>
    validateWorkflow(doc(config)).map((e) => [e.path.slice(3).join('.'), e.code, e.message]);

  it('accepts the example', () => {
    expect(validateWorkflow(doc())).toEqual([]);
  });

  it.each([
    [{ url: 'ftp://files.example.com/{{ event.userId }}' }, 'url', 'url.unsafe_scheme'],
    [{ url: '{{ event.properties.url }}' }, 'url', 'url.invalid'],
    [{ url: 'https://me:pw@api.example.com/' }, 'url', 'url.credentials'],
    [{ url: 'https://api.example.com/{{ secrets.key }}' }, 'url', 'template.unknown_root'],
    [{ timeoutMs: 60_000 }, 'timeoutMs', 'config.too_big'],
    [{ cacheFor: 'P30D' }, 'cacheFor', 'duration.out_of_range'],
    [{ secretHeaders: { 'X-Page': 'x' } }, 'secretHeaders.X-Page', 'header.duplicate'],
    [{ headers: { 'X-Id': '{{ event.userId' } }, 'headers.X-Id', 'template.invalid'],
    [{ headers: { 'Bad Name': 'x' } }, 'headers.Bad Name', 'header.invalid_name'],
  ])('%j -> %s %s', (config, path, code) => {
    const found = problems(config);
    expect(found.map(([p, c]) => [p, c])).toContainEqual([path, code]);
    for (const [, , message] of found) expect(message).not.toMatch(/Invalid input|expected/);
  });

  it('refuses reading a look-up that is not one, or that does not come before', () => {
    const wrongId = doc();
    (wrongId.nodes[2] as { config: unknown }).config = { logic: { '==': [{ var: 'lookup.profile.plan' }, 'pro'] } };
    expect(validateWorkflow(wrongId)).toEqual([
      expect.objectContaining({
        nodeId: 'is-pro',
        code: 'lookup.unknown_node',
        message: 'lookup.profile.plan reads a look-up, but no Look up node has the id profile',
      }),
    ]);
    const beside = doc();
    beside.nodes.push({ id: 'early', type: 'action.log', config: { message: 'plan {{ lookup.lu.plan }}' } } as never);
    beside.edges.push({ source: 't', target: 'early' } as never);
    expect(validateWorkflow(beside)).toEqual([
      expect.objectContaining({
        nodeId: 'early',
        code: 'lookup.not_before',
        message: 'lookup.lu.plan is read here, but the Look up node lu does not come before this node',
      }),
    ]);
  });
});
