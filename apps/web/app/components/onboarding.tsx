import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, SecretOnce } from '@tripwire/ui';
import { useState } from 'react';
import { can, useMe } from '../lib/me';
import { errorMessage, useTRPC } from '../lib/trpc';

type Tab = 'curl' | 'js' | 'segment';

function snippet(tab: Tab, origin: string, key: string): string {
  const event = { userId: 'user-123', event: 'signed_up', properties: { plan: 'trial' } };
  switch (tab) {
    case 'curl':
      return `curl ${origin}/v1/track \\\n  -u '${key}:' \\\n  -H 'content-type: application/json' \\\n  -d '${JSON.stringify(event)}'`;
    case 'js':
      return `await fetch('${origin}/v1/track', {\n  method: 'POST',\n  headers: {\n    authorization: 'Basic ' + btoa('${key}:'),\n    'content-type': 'application/json',\n  },\n  body: JSON.stringify(${JSON.stringify(event)}),\n});`;
    default:
      return `// analytics-node (Segment's SDK) sends to Tripwire unchanged\nimport { Analytics } from '@segment/analytics-node';\nconst analytics = new Analytics({ writeKey: '${key}', host: '${origin}', path: '/v1/batch' });\nanalytics.track(${JSON.stringify(event)});`;
  }
}

/**
 * A new workspace's first steps, each ticked from what the server sees: a write key, a first
 * event (polled until it arrives), a flow, a published flow.
 */
export function Onboarding() {
  const me = useMe();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [key, setKey] = useState<string | null>(null);
  const [tab, setTab] = useState<Tab>('curl');
  const [sent, setSent] = useState<string | null>(null);
  const status = useQuery({
    ...trpc.onboarding.status.queryOptions(),
    // Live until the first event arrives: a poll every 2 s is enough for a checklist.
    refetchInterval: (q) => (q.state.data?.latestEvent ? false : 2000),
  });
  const createKey = useMutation(
    trpc.keys.create.mutationOptions({
      onSuccess: async (r) => {
        setKey(r.key);
        await queryClient.invalidateQueries({ queryKey: trpc.onboarding.status.queryKey() });
      },
    }),
  );
  const admin = can(me, 'admin');
  const s = status.data;
  if (!s) return null;
  // A key counts once someone has it: shown here, or used to send events (keys are stored hashed,
  // so the one a new workspace starts with cannot be shown again).
  const done = [key !== null || s.keyUsed, s.latestEvent !== null, s.workflows > 0, s.published > 0];
  if (done.every(Boolean)) return null;
  const origin = typeof window === 'undefined' ? '' : window.location.origin;

  async function sendTestEvent() {
    if (!key) return;
    setSent(null);
    const res = await fetch('/v1/track', {
      method: 'POST',
      headers: { authorization: `Basic ${btoa(`${key}:`)}`, 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'test-user-1', event: 'test_event', properties: { source: 'checklist' } }),
    });
    setSent(res.ok ? 'Sent “test_event”.' : `Not sent: the API answered ${res.status}.`);
    await queryClient.invalidateQueries({ queryKey: trpc.onboarding.status.queryKey() });
  }

  return (
    <Card title="Get started">
      <ol className="checklist" aria-label="Getting started">
        <li data-done={done[0]}>
          <span className="checklist__title">
            <span className="checklist__mark" aria-hidden="true">
              {done[0] ? '✓' : '1'}
            </span>
            Create a write key {done[0] ? <span className="visually-hidden">(done)</span> : null}
          </span>
          {key ? (
            <SecretOnce label="Your write key" value={key} />
          ) : admin ? (
            <div>
              <p className="muted small">
                {s.writeKeys > 0
                  ? 'Keys are shown only once and stored hashed, so the existing one cannot be shown. Create one here to copy it into the snippets below.'
                  : 'Your app sends events with it. It is shown once.'}
              </p>
              <Button
                variant="primary"
                busy={createKey.isPending}
                onClick={() => createKey.mutate({ name: 'Getting started', scope: 'ingest' })}
              >
                Create a write key
              </Button>
              {createKey.error ? <p className="tw-field__error">{errorMessage(createKey.error)}</p> : null}
            </div>
          ) : (
            <p className="muted small">Ask an admin of this workspace for a write key.</p>
          )}
        </li>
        <li data-done={done[1]}>
          <span className="checklist__title">
            <span className="checklist__mark" aria-hidden="true">
              {done[1] ? '✓' : '2'}
            </span>
            Send a first event
          </span>
          <div className="tabs" role="tablist" aria-label="Snippet language">
            {(
              [
                ['curl', 'curl'],
                ['js', 'JavaScript'],
                ['segment', 'Segment'],
              ] as const
            ).map(([id, label]) => (
              <button key={id} type="button" role="tab" aria-selected={tab === id} onClick={() => setTab(id)}>
                {label}
              </button>
            ))}
          </div>
          <section aria-label="Snippet">
            <pre className="snippet">{snippet(tab, origin, key ?? 'YOUR_WRITE_KEY')}</pre>
          </section>
          <div className="actions">
            <Button onClick={() => void navigator.clipboard?.writeText(snippet(tab, origin, key ?? 'YOUR_WRITE_KEY'))}>
              Copy snippet
            </Button>
            <Button
              onClick={() => void sendTestEvent()}
              disabled={!key}
              title={key ? undefined : 'Create a write key first'}
            >
              Send a test event
            </Button>
          </div>
          {sent ? <p className="small">{sent}</p> : null}
          <p className={s.latestEvent ? 'waiting waiting--done' : 'waiting'} role="status" aria-live="polite">
            {s.latestEvent
              ? `✓ Events are arriving: “${s.latestEvent.name}” at ${new Date(s.latestEvent.lastSeen).toLocaleTimeString()}`
              : 'Waiting for your first event…'}
          </p>
        </li>
        <li data-done={done[2]}>
          <span className="checklist__title">
            <span className="checklist__mark" aria-hidden="true">
              {done[2] ? '✓' : '3'}
            </span>
            Build a flow
          </span>
          {done[2] ? null : <p className="muted small">Start from a template below, or create an empty workflow.</p>}
        </li>
        <li data-done={done[3]}>
          <span className="checklist__title">
            <span className="checklist__mark" aria-hidden="true">
              {done[3] ? '✓' : '4'}
            </span>
            Publish it
          </span>
          {done[3] ? null : <p className="muted small">In the editor, Publish… shows what goes live.</p>}
        </li>
      </ol>
    </Card>
  );
}
