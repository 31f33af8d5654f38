import { simulateWorkflow } from '@tripwire/rules';
import { Alert, Button } from '@tripwire/ui';
import { useState } from 'react';
import { useEditorApi } from './editor-context';
import type { Highlight } from './editor-store';
import { useSuggestions } from './suggestions';

type Result = Awaited<ReturnType<typeof simulateWorkflow>>;

const EXAMPLE = { name: 'order_completed', userId: 'user-1', properties: { total: 120 } };

/**
 * Runs the draft through the same compiler and rules as the engine, with no action sent: the canvas
 * highlights the path taken, each condition's result and each template's output.
 */
export function TestRunPanel({ onClose }: { onClose(): void }) {
  const api = useEditorApi();
  const suggestions = useSuggestions();
  const [event, setEvent] = useState(() => JSON.stringify(suggestions.events[0]?.sample ?? EXAMPLE, null, 2));
  const [traits, setTraits] = useState('{}');
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<Result | null>(null);

  async function run() {
    let input: { name: string; userId: string; properties: Record<string, unknown> };
    let user: Record<string, unknown>;
    try {
      input = JSON.parse(event);
      user = JSON.parse(traits || '{}');
    } catch (e) {
      setError(`Not valid JSON: ${(e as Error).message}`);
      return;
    }
    setError(null);
    const r = await simulateWorkflow(api.getState().document(), {
      event: { ...input, properties: input.properties ?? {} },
      user,
    });
    setResult(r);
    const highlight: Record<string, Highlight> = {};
    if ('steps' in r) {
      for (const step of r.steps) {
        // A wait's first entry parks the run there; its second entry (with an output) resumes it.
        highlight[step.nodeId] = 'error' in step.detail ? 'error' : step.output ? 'taken' : 'waiting';
      }
    }
    api.getState().setHighlight(highlight);
  }

  return (
    <aside className="panel" aria-label="Test run">
      <h2>Test run</h2>
      <p className="muted">Nothing is sent: actions show what they would send, waits what they would wait for.</p>
      {suggestions.events.length > 0 ? (
        <label className="tw-field">
          <span>Recent event</span>
          <select
            onChange={(e) =>
              setEvent(
                JSON.stringify(suggestions.events.find((x) => x.name === e.target.value)?.sample ?? EXAMPLE, null, 2),
              )
            }
          >
            {suggestions.events.map((e) => (
              <option key={e.name} value={e.name}>
                {e.name}
              </option>
            ))}
          </select>
        </label>
      ) : null}
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
          rows={3}
          aria-label="Test user traits"
          value={traits}
          onChange={(e) => setTraits(e.target.value)}
        />
      </label>
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
      {result ? <TestResult result={result} /> : null}
    </aside>
  );
}

function TestResult({ result }: { result: Result }) {
  if ('errors' in result && result.errors) {
    return <Alert>The flow has {result.errors.length} problem(s); fix them to test it.</Alert>;
  }
  if (!('steps' in result)) return null;
  if (!result.started) return <Alert tone="info">No run would start: {result.reason}</Alert>;
  return (
    <ol className="steps" aria-label="Path taken">
      {result.steps.map((s, i) => (
        <li key={`${s.nodeId}-${i}`}>
          <strong>{s.nodeId}</strong> <span className="muted">{s.type}</span>
          {s.output ? <span> → {s.output}</span> : null}
          <pre>{JSON.stringify(s.detail, null, 1)}</pre>
        </li>
      ))}
    </ol>
  );
}
