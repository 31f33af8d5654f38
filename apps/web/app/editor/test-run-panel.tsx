import { useQuery } from '@tanstack/react-query';
import {
  consentFromContext,
  describeRun,
  describeValue,
  jsonProblem,
  type LookupAnswer,
  type RunStory,
  sampleEventFor,
  simulateWorkflow,
} from '@tripwire/rules';
import { Alert, Button } from '@tripwire/ui';
import { useMemo, useState } from 'react';
import { errorMessage, useTRPC, useTRPCClient } from '../lib/trpc';
import { useEditorApi, useEditorStore } from './editor-context';
import type { Highlight } from './editor-store';
import { RichText } from './rich-text';

type Result = Awaited<ReturnType<typeof simulateWorkflow>>;

const TONE_MARK = { ok: '✓', no: '✗', wait: '…', error: '!', skip: '↷' } as const;

function eventLabel(e: Record<string, unknown>, at: Date): string {
  const props = (e.properties ?? {}) as Record<string, unknown>;
  const shown = Object.entries(props)
    .filter(([, v]) => v === null || typeof v !== 'object')
    .slice(0, 3)
    .map(([k, v]) => `${k} ${describeValue(v)}`)
    .join(', ');
  return `${String(e.name)} · ${String(e.userId ?? '?')}${shown ? ` · ${shown}` : ''} · ${new Date(at).toLocaleTimeString()}`;
}

/**
 * Runs the draft through the same steps as the engine, with nothing sent, and tells the story:
 * each step with the values it read, what it decided, and why the run ended where it did.
 */
export function TestRunPanel({ onClose }: { onClose(): void }) {
  const api = useEditorApi();
  const trpc = useTRPC();
  const client = useTRPCClient();
  const triggerEvent = useEditorStore(
    (s) =>
      s.nodes.find((n) => s.registry.get(n.data.type, n.data.version)?.kind === 'trigger')?.data.config.event as
        | string
        | undefined,
  );
  const recent = useQuery(trpc.catalog.recentEvents.queryOptions(triggerEvent ? { event: triggerEvent } : {}));
  const made = useMemo(() => sampleEventFor(api.getState().document()), [api]);
  const [event, setEvent] = useState(() => JSON.stringify(made, null, 2));
  const [picked, setPicked] = useState('');
  const [traits, setTraits] = useState('{}');
  const consentSettings = useQuery(trpc.tenants.consentSettings.queryOptions());
  const [consent, setConsent] = useState('{}');
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<Result | null>(null);
  const [story, setStory] = useState<RunStory | null>(null);

  async function run() {
    const problem = jsonProblem(event) ?? jsonProblem(traits || '{}') ?? jsonProblem(consent || '{}');
    if (problem) {
      setError(problem);
      return;
    }
    const input = JSON.parse(event) as { name?: unknown; userId?: unknown; properties?: Record<string, unknown> };
    if (typeof input.name !== 'string' || typeof input.userId !== 'string') {
      setError('The test event needs a "name" and a "userId"');
      return;
    }
    setError(null);
    const doc = api.getState().document();
    const r = await simulateWorkflow(doc, {
      event: { ...(input as { name: string; userId: string }), properties: input.properties ?? {} },
      user: JSON.parse(traits || '{}'),
      // Look-ups are made for real, by the server, with the engine's address guard; nothing is cached.
      lookup: async (_nodeId, { url, headers, timeoutMs }): Promise<LookupAnswer> => {
        try {
          return await client.lookups.test.mutate({ url, headers, timeoutMs });
        } catch (e) {
          return { ok: false, reason: 'network', message: errorMessage(e) };
        }
      },
      // The workspace's consent settings with the answers given here, as the engine would check them.
      ...(consentSettings.data
        ? {
            consent: {
              settings: consentSettings.data,
              preferences: consentFromContext({ consent: { categoryPreferences: JSON.parse(consent || '{}') } }) ?? {},
            },
          }
        : {}),
    });
    setResult(r);
    setStory('steps' in r ? describeRun(r.steps, doc, { error: r.error }) : null);
    const highlight: Record<string, Highlight> = {};
    if ('steps' in r) {
      for (const step of r.steps) {
        // A wait's first entry parks the run there; its second entry (with an output) resumes it.
        highlight[step.nodeId] = 'error' in step.detail ? 'error' : step.output ? 'taken' : 'waiting';
      }
    }
    api.getState().setHighlight(highlight);
    if ('steps' in r) {
      // What the look-ups answered: their fields are offered in conditions and templates from now on.
      const answers = r.steps.filter((s) => (s.detail.lookup as { outcome?: string } | undefined)?.outcome === 'ok');
      if (answers.length > 0)
        api.getState().setLookupSamples(Object.fromEntries(answers.map((s) => [s.nodeId, s.detail.value])));
    }
  }

  const events = recent.data ?? [];
  return (
    <div className="test-run">
      <h2>Test run</h2>
      <p className="muted small">
        Nothing is sent: each step shows what it read and decided; actions show what they would send.
      </p>
      <label className="tw-field">
        <span>Event to test with</span>
        <select
          value={picked}
          onChange={(e) => {
            setPicked(e.target.value);
            const chosen = events.find((x) => x.key === e.target.value);
            const { messageId: _m, timestamp: _t, ...rest } = (chosen?.event ?? made) as Record<string, unknown>;
            setEvent(JSON.stringify(rest, null, 2));
          }}
        >
          <option value="">A made-up “{made.name}” that matches the trigger</option>
          {events.map((e) => (
            <option key={e.key} value={e.key}>
              {eventLabel(e.event, e.at)}
            </option>
          ))}
        </select>
      </label>
      <label className="tw-field">
        <span>Event</span>
        <textarea
          className="code"
          rows={7}
          aria-label="Test event"
          value={event}
          onChange={(e) => setEvent(e.target.value)}
        />
      </label>
      <label className="tw-field">
        <span>User traits (optional)</span>
        <textarea
          className="code"
          rows={2}
          aria-label="Test user traits"
          value={traits}
          onChange={(e) => setTraits(e.target.value)}
        />
      </label>
      {consentSettings.data && consentSettings.data.categories.length > 0 ? (
        <label className="tw-field">
          <span>User’s consent ({consentSettings.data.categories.join(', ')}; unanswered is not granted)</span>
          <textarea
            className="code"
            rows={2}
            aria-label="Test user consent"
            placeholder='{"marketing": true}'
            value={consent}
            onChange={(e) => setConsent(e.target.value)}
          />
        </label>
      ) : null}
      {error ? <Alert>{error}</Alert> : null}
      <div className="actions">
        <Button variant="primary" onClick={() => void run()}>
          Run test
        </Button>
        <Button
          onClick={() => {
            api.getState().setHighlight({});
            onClose();
          }}
        >
          Close
        </Button>
      </div>
      {result ? <TestResult result={result} story={story} /> : null}
    </div>
  );
}

function TestResult({ result, story }: { result: Result; story: RunStory | null }) {
  if ('errors' in result && result.errors) {
    return <Alert>The flow has {result.errors.length} problem(s) listed below; fix them to test it.</Alert>;
  }
  if (!('steps' in result) || !story) return null;
  return (
    <section className="test-result" aria-label="Test result">
      {!result.started ? (
        <Alert tone="info">
          No run would start: {result.reason}
          {story.lines[0] ? ` — ${story.lines[0].text}` : ''}
        </Alert>
      ) : (
        <ol className="story" aria-label="Path taken">
          {story.lines.map((line, i) => (
            <li key={`${line.nodeId}-${i}`} className={`story__line story__line--${line.tone}`}>
              <span className="story__mark" aria-hidden="true">
                {TONE_MARK[line.tone]}
              </span>
              <span>
                <strong>{line.node}</strong> <RichText text={line.text} />
              </span>
            </li>
          ))}
        </ol>
      )}
      {story.ending.length ? (
        <p className="story__ending" role="status">
          {story.ending.join(' ')}
        </p>
      ) : null}
      {result.notes.map((n) => (
        <p key={n} className="muted small">
          {n}
        </p>
      ))}
      <LookupAnswers steps={result.steps} />
      {result.actions.length ? (
        <details>
          <summary>What the actions would send ({result.actions.length})</summary>
          {result.actions.map((a, i) => (
            <pre key={`${a.nodeId}-${i}`} className="code">
              {JSON.stringify(a.payload, null, 2)}
            </pre>
          ))}
        </details>
      ) : null}
    </section>
  );
}

/** What each look-up asked and what came back, in full (the story shows the start of it). */
function LookupAnswers({ steps }: { steps: { nodeId: string; output?: string; detail: Record<string, unknown> }[] }) {
  const lookups = steps.filter((s) => s.detail.lookup !== null && typeof s.detail.lookup === 'object');
  if (lookups.length === 0) return null;
  return (
    <section aria-label="Look-ups">
      <h3>Look-ups</h3>
      {lookups.map((s, i) => {
        const l = s.detail.lookup as { url?: string; status?: number; message?: string; outcome?: string };
        return (
          <div key={`${s.nodeId}-${i}`} className="lookup-answer">
            <p className="small">
              <code>lookup.{s.nodeId}</code> · GET {l.url} →{' '}
              {l.outcome === 'ok' ? l.status : (l.message ?? 'no answer')} · output <strong>{s.output}</strong>
            </p>
            {l.outcome === 'ok' ? (
              <section aria-label={`Answer of ${s.nodeId}`}>
                <pre className="code">{JSON.stringify(s.detail.value, null, 2)}</pre>
              </section>
            ) : null}
          </div>
        );
      })}
    </section>
  );
}
