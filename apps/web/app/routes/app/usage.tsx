import { useQuery } from '@tanstack/react-query';
import { NEAR_QUOTA_SHARE, usageShare } from '@tripwire/rules';
import { Alert, Card, Loading } from '@tripwire/ui';
import { Link } from 'react-router';
import { errorMessage, useTRPC } from '../../lib/trpc';

export function meta() {
  return [{ title: 'Usage · Tripwire' }];
}

const n = (v: number) => v.toLocaleString();
const utc = (iso: string) =>
  new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

/** One quota: what was used, a bar against the limit (none without a limit), and what resets when. */
function UsageRow({ label, used, limit, note }: { label: string; used: number; limit: number | null; note: string }) {
  const share = usageShare(used, limit);
  return (
    <div className="usage-row">
      <strong>{label}</strong>
      {limit === null ? (
        <span className="muted">{n(used)} · no limit on this plan</span>
      ) : (
        <div>
          {/* The browser colours it: green below 90%, amber from 90%, red at the limit. */}
          <meter
            className="usage-meter"
            aria-label={label}
            min={0}
            max={Math.max(limit, 1)}
            low={limit * NEAR_QUOTA_SHARE}
            high={Math.max(limit, 1) * 0.999}
            optimum={0}
            value={Math.min(used, Math.max(limit, 1))}
            title={`${n(used)} of ${n(limit)}`}
          />
          <span>
            {n(used)} of {n(limit)} ({Math.floor(Math.min(share, 9.99) * 100)}%)
          </span>
        </div>
      )}
      <span className="muted">{note}</span>
    </div>
  );
}

export default function UsagePage() {
  const trpc = useTRPC();
  const usage = useQuery({ ...trpc.usage.summary.queryOptions(), refetchInterval: 30_000 });
  if (usage.error) return <Alert>{errorMessage(usage.error)}</Alert>;
  const u = usage.data;
  if (!u) return <Loading />;
  const over = u.actions.overQuota === 'hold' ? 'held for the next day with room' : 'not sent';
  return (
    <>
      <h1>Usage</h1>
      <p>
        <Link to="/app/settings">Settings</Link> · Plan: <strong>{u.plan ?? 'none (no quotas)'}</strong>. Months and
        days are counted in UTC; ask your operator to change the plan.
      </p>
      <Card title="This period">
        <UsageRow
          label="Events this month"
          used={u.events.used}
          limit={u.events.limit}
          note={`Over the quota, new events are refused (HTTP 429) until ${utc(u.events.resetsAt)} UTC.`}
        />
        <UsageRow
          label="Actions today"
          used={u.actions.used}
          limit={u.actions.limit}
          note={`Actions over the quota are ${over}; it resets ${utc(u.actions.resetsAt)} UTC.${u.actions.held > 0 ? ` ${n(u.actions.held)} held for later days.` : ''}`}
        />
        <UsageRow
          label="Workflows"
          used={u.workflows.used}
          limit={u.workflows.limit}
          note={`${n(u.workflows.live)} live.${u.workflows.limit === null ? '' : ' At the limit, new workflows cannot be created, nor more made live.'}`}
        />
      </Card>
      <Card title="Ingestion rate">
        <p>
          {n(u.ingestRate.perSecond)} events per second, bursts up to {n(u.ingestRate.burst)}, shared by all of this
          workspace’s keys; faster requests get HTTP 429 with Retry-After.
        </p>
      </Card>
    </>
  );
}
