// The event stream of the throughput run: mostly events no workflow routes, some routed events that
// fail their trigger filter (or are only counted), about 1% that start a run, a few identify calls
// and a few malformed messages (dead-lettered). Seeded, so every bench run sees the same stream.
import { identify, track } from '../test/fixtures.ts';

export interface Message {
  key: string;
  value: string;
}

type Rand = () => number;

/** mulberry32: small, fast, seedable. */
export function seeded(seed: number): Rand {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Kind {
  event: string;
  /** Some workflow routes it (noise is routed by none). */
  routed: boolean;
  /** Parts per 10,000 events. */
  weight: number;
  /** Properties, and whether the event passes its workflow's trigger filter (starts a run). */
  make(r: Rand): { properties: Record<string, unknown>; starts: boolean };
}

const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
const noise = (event: string, weight: number): Kind => ({
  event,
  weight,
  routed: false,
  make: (r) => ({
    properties: { path: pick(r, ['/', '/pricing', '/docs', '/blog/launch', '/app']), ms: Math.floor(r() * 900) },
    starts: false,
  }),
});

const KINDS: Kind[] = [
  noise('page_viewed', 4300),
  noise('product_viewed', 2000),
  noise('button_clicked', 1200),
  noise('session_started', 600),
  noise('scrolled', 700),
  {
    event: 'order_completed',
    weight: 200,
    routed: true,
    make: (r) => {
      const total = r() < 0.15 ? 500 + Math.floor(r() * 2000) : Math.floor(r() * 500);
      return { properties: { total, currency: 'EUR' }, starts: total > 500 };
    },
  },
  {
    event: 'login',
    weight: 300,
    routed: true,
    make: (r) => {
      const first = r() < 0.05;
      return { properties: { first_today: first, method: 'password' }, starts: first };
    },
  },
  {
    event: 'cart_updated',
    weight: 250,
    routed: true,
    make: (r) => {
      const items = r() < 0.06 ? 10 + Math.floor(r() * 10) : Math.floor(r() * 10);
      return { properties: { items, country: pick(r, ['DE', 'FR', 'US', 'GB', 'NL']) }, starts: items >= 10 };
    },
  },
  {
    event: 'feature_used',
    weight: 200,
    routed: true,
    make: (r) => {
      const feature = r() < 0.2 ? 'export' : pick(r, ['share', 'filter', 'invite']);
      const count = Math.floor(r() * 8);
      return { properties: { feature, count }, starts: feature === 'export' && count > 5 };
    },
  },
  {
    event: 'error_shown',
    weight: 150,
    routed: true,
    make: (r) => {
      const severity = r() < 0.1 ? 'high' : 'low';
      return { properties: { severity, code: `E${Math.floor(r() * 50)}` }, starts: severity === 'high' };
    },
  },
  {
    event: 'payment_failed',
    weight: 10,
    routed: true,
    make: () => ({ properties: { reason: 'card_declined' }, starts: true }),
  },
  {
    event: 'subscription_cancelled',
    weight: 5,
    routed: true,
    make: () => ({ properties: { plan: 'pro' }, starts: true }),
  },
  {
    event: 'signed_up',
    weight: 20,
    routed: true,
    make: (r) => {
      const plan = r() < 0.5 ? 'trial' : 'free';
      return { properties: { plan }, starts: plan === 'trial' };
    },
  },
];
const TOTAL_WEIGHT = KINDS.reduce((s, k) => s + k.weight, 0);

function pickKind(at: number): Kind {
  let left = at;
  for (const kind of KINDS) {
    left -= kind.weight;
    if (left < 0) return kind;
  }
  return KINDS[0] as Kind;
}

export interface StreamStats {
  total: number;
  routed: number;
  starts: number;
  identifies: number;
  malformed: number;
}

/** `count` messages for `tenants` (ids) with `users` users each; identify 0.5%, malformed 1 in 10,000. */
export function eventStream(tenants: string[], users: number, count: number, seed = 42) {
  const r = seeded(seed);
  const stats: StreamStats = { total: 0, routed: 0, starts: 0, identifies: 0, malformed: 0 };
  const messages: Message[] = [];
  for (let i = 0; i < count; i++) {
    const tenantId = pick(r, tenants);
    const userId = `u${Math.floor(r() * users)}`;
    stats.total++;
    if (i % 10_000 === 9_999) {
      stats.malformed++;
      messages.push({ key: `${tenantId}:${userId}`, value: i % 20_000 === 19_999 ? '{"v":1,"type":' : '{"v":1}' });
      continue;
    }
    if (r() < 0.005) {
      stats.identifies++;
      messages.push(identify(tenantId, userId, { plan: r() < 0.3 ? 'pro' : 'free' }));
      continue;
    }
    const kind = pickKind(r() * TOTAL_WEIGHT);
    const { properties, starts } = kind.make(r);
    if (kind.routed) stats.routed++;
    if (starts) stats.starts++;
    const { key, value } = track(tenantId, userId, kind.event, properties);
    messages.push({ key, value });
  }
  return { messages, stats };
}
