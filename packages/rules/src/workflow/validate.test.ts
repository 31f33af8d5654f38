import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateWorkflow } from './validate.ts';

const trigger = { id: 't', type: 'trigger.event', config: { event: 'signup' } };
const log = { id: 'l', type: 'action.log', config: {} };
const doc = (nodes: unknown[], edges: unknown[] = []) => ({ name: 'w', nodes, edges });
const codes = (input: unknown) => validateWorkflow(input).map((e) => e.code);

describe('validateWorkflow', () => {
  it('accepts a minimal workflow', () => {
    expect(validateWorkflow(doc([trigger, log], [{ source: 't', target: 'l' }]))).toEqual([]);
  });

  it.each([null, 1, 'x', [], undefined])('rejects %j as not an object', (input) => {
    expect(codes(input)).toEqual(['document.not_object']);
  });

  it('reports structural problems with the node they belong to', () => {
    expect(validateWorkflow(doc([{ id: 't', type: 'trigger.event' }]))).toEqual([
      expect.objectContaining({ nodeId: 't', path: ['nodes', 0, 'config'], code: 'document.invalid_type' }),
    ]);
  });

  it('reports unknown types and versions', () => {
    expect(codes(doc([trigger, { id: 'x', type: 'action.fax', config: {} }], [{ source: 't', target: 'x' }]))).toEqual([
      'node.unknown_type',
    ]);
    expect(validateWorkflow(doc([{ ...trigger, version: 7 }]))[0]).toMatchObject({
      nodeId: 't',
      code: 'node.unknown_version',
      path: ['nodes', 0, 'version'],
    });
  });

  it("reports config errors at the field, with the field helper's code", () => {
    const errors = validateWorkflow(
      doc(
        [
          trigger,
          { id: 'c', type: 'condition.count', config: { event: 'x', atLeast: 0, within: 'P120D', extra: 1 } },
          { id: 'w', type: 'action.webhook', config: { url: 'file:///etc/passwd', method: 'GET' } },
        ],
        [
          { source: 't', target: 'c' },
          { source: 'c', sourceHandle: 'true', target: 'w' },
        ],
      ),
    );
    expect(errors.map((e) => [e.nodeId, e.path.join('.'), e.code])).toEqual([
      ['c', 'nodes.1.config.atLeast', 'config.too_small'],
      ['c', 'nodes.1.config.within', 'duration.out_of_range'],
      ['c', 'nodes.1.config', 'config.unrecognized_keys'],
      ['w', 'nodes.2.config.url', 'url.unsafe_scheme'],
      ['w', 'nodes.2.config.method', 'config.invalid_value'],
    ]);
  });

  it.each([
    ['tripwire.events', 'topic.reserved'],
    ['Tripwire.Events.DLQ', 'topic.reserved'],
    ['__consumer_offsets', 'topic.reserved'],
    ['orders out', 'topic.invalid'],
    ['..', 'topic.invalid'],
    ['x'.repeat(250), 'topic.invalid'],
  ])('refuses to publish to the Kafka topic %s (%s)', (topic, code) => {
    const errors = validateWorkflow(
      doc([trigger, { id: 'k', type: 'action.kafka', config: { topic } }], [{ source: 't', target: 'k' }]),
    );
    expect(errors.map((e) => [e.nodeId, e.path.join('.'), e.code])).toEqual([['k', 'nodes.1.config.topic', code]]);
  });

  it('accepts ordinary Kafka topics', () => {
    for (const topic of ['orders', 'crm.abandoned-carts', 'team_a.tripwire.out', 'x'.repeat(200)]) {
      const k = { id: 'k', type: 'action.kafka', config: { topic } };
      expect(validateWorkflow(doc([trigger, k], [{ source: 't', target: 'k' }]))).toEqual([]);
    }
    // Room for the tenant's namespace (tenant.<id>.) within Kafka's 249 characters.
    const long = { id: 'k', type: 'action.kafka', config: { topic: 'x'.repeat(201) } };
    expect(codes(doc([trigger, long], [{ source: 't', target: 'k' }]))).toEqual(['topic.invalid']);
  });

  it('refuses webhook headers every delivery would refuse, at the header', () => {
    const hook = (headers: Record<string, string>) =>
      doc(
        [trigger, { id: 'w', type: 'action.webhook', config: { url: 'https://example.com/h', headers } }],
        [{ source: 't', target: 'w' }],
      );
    const found = (headers: Record<string, string>) =>
      validateWorkflow(hook(headers)).map((e) => [e.nodeId, e.path.join('.'), e.code]);
    expect(found({ 'X-Token': 'a\r\nX-Injected: 1' })).toEqual([
      ['w', 'nodes.1.config.headers.X-Token', 'header.invalid_value'],
    ]);
    expect(found({ 'X-Price': '5 €' })).toEqual([['w', 'nodes.1.config.headers.X-Price', 'header.invalid_value']]);
    expect(found({ Host: 'internal', 'Webhook-Signature': 'v1,x' })).toEqual([
      ['w', 'nodes.1.config.headers.Host', 'header.reserved'],
      ['w', 'nodes.1.config.headers.Webhook-Signature', 'header.reserved'],
    ]);
    expect(found({ Authorization: 'Bearer t0k3n', 'X-Name': 'Zoë' })).toEqual([]);
  });

  it('reports unknown operators in rules', () => {
    const t = { ...trigger, config: { event: 'x', filter: { or: [{ method: ['a', 'toUpperCase'] }] } } };
    expect(validateWorkflow(doc([t]))).toEqual([
      expect.objectContaining({
        nodeId: 't',
        path: ['nodes', 0, 'config', 'filter', 'or', 0, 'method'],
        code: 'logic.unknown_operator',
      }),
    ]);
  });

  it('requires exactly one trigger', () => {
    expect(codes(doc([log]))).toEqual(['workflow.trigger_count']);
    expect(codes(doc([trigger, { ...trigger, id: 't2' }]))).toEqual(['workflow.trigger_count', 'node.unreachable']);
  });

  it('reports edges to unknown nodes, unknown or missing handles, and cycles', () => {
    const iff = { id: 'i', type: 'condition.if', config: { logic: true } };
    const wait = { id: 'd', type: 'wait.delay', config: { duration: 'PT1M' } };
    const errors = validateWorkflow(
      doc(
        [trigger, iff, wait],
        [
          { id: 'a', source: 't', target: 'i' },
          { id: 'b', source: 'i', target: 'd' },
          { id: 'c', source: 'i', sourceHandle: 'maybe', target: 'd' },
          { id: 'd1', source: 'i', sourceHandle: 'true', target: 'd' },
          { id: 'e', source: 'd', target: 'i' },
          { id: 'f', source: 'd', target: 'ghost' },
        ],
      ),
    );
    expect(errors.map((e) => [e.edgeId, e.code])).toEqual([
      ['b', 'edge.handle_required'],
      ['c', 'edge.unknown_handle'],
      ['f', 'edge.unknown_target'],
      ['e', 'graph.cycle'],
    ]);
  });

  it('reports unreachable nodes', () => {
    expect(validateWorkflow(doc([trigger, log]))).toEqual([
      expect.objectContaining({ nodeId: 'l', code: 'node.unreachable' }),
    ]);
  });

  it('bounds size and depth', () => {
    let deep: unknown = true;
    for (let i = 0; i < 100; i++) deep = { and: [deep] };
    expect(codes(doc([{ ...trigger, config: { event: 'x', filter: deep } }]))).toEqual(['document.too_deep']);
    const many = Array.from({ length: 201 }, (_, i) => ({ ...log, id: `n${i}` }));
    expect(codes(doc([trigger, ...many]))).toContain('document.too_big');
  });

  it('never throws, whatever the input', () => {
    const nodeLike = fc.record(
      {
        id: fc.oneof(fc.constantFrom('t', 'a', 'b', '__proto__', ''), fc.anything()),
        type: fc.oneof(
          fc.constantFrom(
            'trigger.event',
            'condition.if',
            'condition.count',
            'wait.event',
            'action.webhook',
            'action.log',
          ),
          fc.anything(),
        ),
        version: fc.oneof(fc.constant(1), fc.anything()),
        config: fc.oneof(
          fc.dictionary(
            fc.constantFrom('event', 'logic', 'filter', 'url', 'within', 'atLeast', 'timeout'),
            fc.anything(),
          ),
          fc.anything(),
        ),
      },
      { requiredKeys: [] },
    );
    const edgeLike = fc.record(
      {
        id: fc.anything(),
        source: fc.constantFrom('t', 'a', 'b', 'x'),
        target: fc.constantFrom('t', 'a', 'b', 'x'),
        sourceHandle: fc.anything(),
      },
      { requiredKeys: [] },
    );
    const docLike = fc.oneof(
      fc.anything(),
      fc.record(
        {
          name: fc.anything(),
          nodes: fc.array(nodeLike, { maxLength: 5 }),
          edges: fc.array(edgeLike, { maxLength: 6 }),
        },
        { requiredKeys: [] },
      ),
      fc.record({
        name: fc.string(),
        nodes: fc.array(nodeLike, { maxLength: 5 }),
        edges: fc.array(edgeLike, { maxLength: 6 }),
      }),
    );
    fc.assert(
      fc.property(docLike, (input) => {
        const errors = validateWorkflow(input);
        return Array.isArray(errors) && errors.every((e) => typeof e.code === 'string' && Array.isArray(e.path));
      }),
      { numRuns: 3000 },
    );
  });

  it('survives hostile objects', () => {
    const throwing = new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('boom');
        },
        get: () => {
          throw new Error('boom');
        },
      },
    );
    const cyclic: Record<string, unknown> = { name: 'c', edges: [] };
    cyclic.nodes = [{ id: 't', type: 'trigger.event', config: cyclic }];
    for (const input of [
      throwing,
      cyclic,
      { name: 'x', nodes: [{ id: 't', type: 'trigger.event', config: { event: 1n } }], edges: [] },
    ]) {
      expect(() => validateWorkflow(input)).not.toThrow();
      expect(validateWorkflow(input).length).toBeGreaterThan(0);
    }
  });
});
