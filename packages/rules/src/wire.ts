// What an action may put on the wire: HTTP header names and values, Kafka topics. Validation marks
// a node that breaks these rules; the engine's executors check them again before sending.

const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;

/**
 * Headers a webhook action may not set (compared lower-cased): signature headers would let a tenant
 * forge or confuse verification, framing headers could smuggle a second request through a
 * keep-alive connection, Host must match the vetted URL. The engine drops them whatever the plan says.
 */
export const RESERVED_WEBHOOK_HEADERS: ReadonlySet<string> = new Set([
  'webhook-id',
  'webhook-timestamp',
  'webhook-signature',
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'expect',
  'te',
  'trailer',
  'proxy-authorization',
  'proxy-connection',
  'user-agent',
]);

/** An HTTP header name (a token), at most 100 characters. */
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;

export function isHeaderName(name: string): boolean {
  return HEADER_NAME.test(name);
}

/** Line breaks and NUL would break HTTP framing; above U+00FF a header value cannot be sent at all. */
export function isSendableHeaderValue(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x0a || c === 0x0d || c === 0 || c > 0xff) return false;
  }
  return true;
}

/**
 * Topic prefixes no workflow may publish to: the platform's own topics (`tripwire.events`, whose
 * messages the engines trust to name their tenant, and its dead-letter topic) and Kafka's
 * internal ones (`__consumer_offsets`). Compared case-insensitively.
 */
export const RESERVED_TOPIC_PREFIXES = ['tripwire.', '__'] as const;

/**
 * Each tenant's Kafka namespace (decision 022): a workflow's `action.kafka` topic "orders" is
 * `tenant.<tenantId>.orders` on the wire, so no tenant can write into another's topics, and an
 * operator can grant a tenant's consumers a prefixed ACL. Messages also carry the tenant in the
 * TENANT_HEADER. A name leaves room for the prefix within Kafka's 249 characters.
 */
export const TENANT_TOPIC_PREFIX = 'tenant.';
export const TENANT_HEADER = 'tripwire-tenant';
export const MAX_WORKFLOW_TOPIC_LENGTH = 200;

/** The topic a tenant's workflow topic name stands for. */
export function tenantTopic(tenantId: string, topic: string): string {
  return `${tenantTopicPrefix(tenantId)}${topic}`;
}

/** Every topic of the tenant starts with this. */
export function tenantTopicPrefix(tenantId: string): string {
  return `${TENANT_TOPIC_PREFIX}${tenantId}.`;
}

/** Why a workflow may not publish to `topic`, or undefined when it may. */
export function kafkaTopicProblem(topic: string): { code: string; message: string } | undefined {
  if (!TOPIC_NAME.test(topic) || topic === '.' || topic === '..' || topic.length > MAX_WORKFLOW_TOPIC_LENGTH) {
    return {
      code: 'topic.invalid',
      message: `A topic name is 1–${MAX_WORKFLOW_TOPIC_LENGTH} letters, digits, dots, underscores or hyphens`,
    };
  }
  const lower = topic.toLowerCase();
  const prefix = RESERVED_TOPIC_PREFIXES.find((p) => lower.startsWith(p));
  if (prefix) return { code: 'topic.reserved', message: `Topics starting with "${prefix}" are reserved` };
  return undefined;
}
