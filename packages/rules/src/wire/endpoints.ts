import type { ActionJob } from './jobs.ts';

/**
 * The endpoint an action calls, as the pg-boss group its job is sent in: the tenant and the URL's
 * origin (`https://hooks.example.com`). The tenant is part of it so that two tenants calling one
 * shared service (hooks.slack.com) never share a limit or a circuit: one tenant's failures must not
 * pause another's deliveries. Actions without a URL (Kafka, log) have no group and no limit: they
 * do not call a customer's server.
 */
export function endpointGroup(job: Pick<ActionJob, 'tenantId' | 'config'>): { id: string } | undefined {
  const config = job.config as Record<string, unknown> | undefined;
  const url = typeof config?.url === 'string' ? config.url : config?.webhookUrl;
  if (typeof url !== 'string') return undefined;
  const origin = originOf(url);
  return origin ? { id: `${job.tenantId}|${origin}` } : undefined;
}

/** The group's parts; undefined for a group that is not an endpoint's. */
export function splitEndpointGroup(group: string): { tenantId: string; endpoint: string } | undefined {
  const at = group.indexOf('|');
  if (at <= 0) return undefined;
  return { tenantId: group.slice(0, at), endpoint: group.slice(at + 1) };
}

function originOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : undefined;
  } catch {
    return undefined;
  }
}
