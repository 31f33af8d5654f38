// Deterministic generator of realistic trigger conditions and contexts for the benchmark (and a
// reusable corpus for tests): the kinds of rules business users draw — thresholds on event
// properties, plan/country checks on user traits, lists, presence checks, a little arithmetic.

export type Random = () => number;

/** mulberry32: tiny, seedable, good enough for test data. */
export function createRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: Random, items: readonly T[]): T => items[Math.floor(r() * items.length)] as T;
const int = (r: Random, min: number, max: number): number => min + Math.floor(r() * (max - min + 1));

const EVENTS = ['order_completed', 'payment_failed', 'cart_viewed', 'signup', 'page_viewed', 'refund_requested'];
const PLANS = ['free', 'starter', 'pro', 'enterprise'];
const COUNTRIES = ['US', 'CA', 'GB', 'DE', 'FR', 'NL', 'ES', 'IT', 'BR', 'JP', 'IN', 'AU'];
const CURRENCIES = ['USD', 'EUR', 'GBP', 'JPY'];
const TAGS = ['vip', 'beta', 'churn_risk', 'newsletter', 'partner', 'trial'];
const NUMERIC = [
  'event.properties.total',
  'event.properties.quantity',
  'event.properties.discount',
  'user.ltv',
  'user.orders',
  'user.age',
  'trigger.properties.total',
];
const TEXT: Record<string, readonly string[]> = {
  'user.plan': PLANS,
  'user.country': COUNTRIES,
  'event.properties.currency': CURRENCIES,
  'event.name': EVENTS,
  'event.properties.channel': ['web', 'ios', 'android', 'email'],
};
const OPTIONAL = [
  'event.properties.coupon',
  'event.properties.orderId',
  'user.email',
  'user.phone',
  'event.properties.referrer',
];

function numericTest(r: Random): unknown {
  const path = pick(r, NUMERIC);
  const v = { var: path };
  switch (int(r, 0, 6)) {
    case 0:
      return { '>': [v, int(r, 0, 500)] };
    case 1:
      return { '>=': [v, int(r, 0, 100)] };
    case 2:
      return { '<': [v, int(r, 10, 1000)] };
    case 3:
      return { '<=': [int(r, 0, 50), v, int(r, 100, 900)] };
    case 4:
      return {
        '>': [{ '*': [{ var: 'event.properties.price' }, { var: 'event.properties.quantity' }] }, int(r, 20, 400)],
      };
    case 5:
      return { '>=': [{ '-': [v, { var: ['event.properties.discount', 0] }] }, int(r, 0, 300)] };
    default:
      return { '==': [{ '%': [v, 2] }, 0] };
  }
}

function textTest(r: Random): unknown {
  const path = pick(r, Object.keys(TEXT));
  const values = TEXT[path] as readonly string[];
  const v = { var: path };
  switch (int(r, 0, 4)) {
    case 0:
      return { '==': [v, pick(r, values)] };
    case 1:
      return { '!=': [v, pick(r, values)] };
    case 2:
      return { '===': [v, pick(r, values)] };
    case 3: {
      const list = values.filter(() => r() < 0.4);
      return { in: [v, list.length ? list : [pick(r, values)]] };
    }
    default:
      return { in: [pick(r, TAGS), { var: 'user.tags' }] };
  }
}

function presenceTest(r: Random): unknown {
  switch (int(r, 0, 3)) {
    case 0:
      return { '!': { missing: [pick(r, OPTIONAL)] } };
    case 1:
      return { missing_some: [1, [pick(r, OPTIONAL), pick(r, OPTIONAL)]] };
    case 2:
      return { '!!': { var: pick(r, OPTIONAL) } };
    default:
      return { some: [{ var: 'event.properties.items' }, { '>': [{ var: 'price' }, int(r, 5, 80)] }] };
  }
}

function leaf(r: Random): unknown {
  const x = r();
  if (x < 0.45) return numericTest(r);
  if (x < 0.85) return textTest(r);
  return presenceTest(r);
}

export function generateRule(r: Random, depth = 0): unknown {
  if (depth >= 2 || r() < 0.25 + depth * 0.3) return leaf(r);
  const children = Array.from({ length: int(r, 2, 4) }, () => generateRule(r, depth + 1));
  const x = r();
  if (x < 0.55) return { and: children };
  if (x < 0.9) return { or: children };
  if (x < 0.95) return { '!': { and: children } };
  return { if: [children[0], children[1], children[2] ?? false] };
}

export function generateRules(count: number, seed: number): unknown[] {
  const r = createRandom(seed);
  const seen = new Set<string>();
  const rules: unknown[] = [];
  while (rules.length < count) {
    const rule = generateRule(r);
    const text = JSON.stringify(rule);
    if (seen.has(text)) continue;
    seen.add(text);
    rules.push(rule);
  }
  return rules;
}

// Shapes follow production: a producer sends the same property set for an event name (a
// coupon or referrer appears on some), and profiles come from jsonb, which orders keys
// canonically, so shapes vary with the set of traits a user has, not with arrival order.
const SCHEMAS: Record<string, readonly string[]> = {
  order_completed: ['orderId', 'total', 'quantity', 'price', 'currency', 'channel', 'items'],
  payment_failed: ['orderId', 'total', 'currency', 'channel'],
  cart_viewed: ['total', 'quantity', 'price', 'items'],
  signup: ['channel'],
  page_viewed: ['channel', 'total'],
  refund_requested: ['orderId', 'total', 'discount', 'currency'],
};

function property(r: Random, key: string): unknown {
  switch (key) {
    case 'orderId':
      return `ord_${int(r, 1000, 9999)}`;
    case 'total':
      // Some producers send amounts as strings; JSON Logic coerces.
      return r() < 0.15 ? String(int(r, 0, 900)) : int(r, 0, 1200) / (r() < 0.5 ? 1 : 4);
    case 'quantity':
      return int(r, 1, 12);
    case 'price':
      return int(r, 1, 150);
    case 'discount':
      return int(r, 0, 50);
    case 'currency':
      return pick(r, CURRENCIES);
    case 'channel':
      return pick(r, ['web', 'ios', 'android', 'email']);
    case 'items':
      return Array.from({ length: int(r, 0, 4) }, () => ({ sku: `sku_${int(r, 1, 99)}`, price: int(r, 1, 120) }));
    default:
      return null;
  }
}

function event(r: Random): Record<string, unknown> {
  const name = pick(r, EVENTS);
  const properties: Record<string, unknown> = {};
  for (const key of SCHEMAS[name] ?? []) properties[key] = property(r, key);
  if (r() < 0.3) properties.coupon = r() < 0.2 ? '' : `SAVE${int(r, 5, 30)}`;
  if (r() < 0.2) properties.referrer = 'newsletter';
  return {
    name,
    userId: `u_${int(r, 1, 5000)}`,
    properties,
    timestamp: 1_700_000_000_000 + int(r, 0, 1e9),
    messageId: `m_${int(r, 1, 1e9)}`,
  };
}

function user(r: Random): Record<string, unknown> {
  const traits: Record<string, unknown> = { plan: pick(r, PLANS), country: pick(r, COUNTRIES) };
  if (r() < 0.8) {
    traits.ltv = int(r, 0, 5000);
    traits.orders = int(r, 0, 40);
    traits.email = r() < 0.1 ? null : `user${int(r, 1, 999)}@example.com`;
  }
  if (r() < 0.5) traits.age = int(r, 16, 80);
  if (r() < 0.3) traits.phone = '+15550100';
  if (r() < 0.6) traits.tags = TAGS.filter(() => r() < 0.3);
  // jsonb key order: shorter keys first, then bytewise.
  const sorted = Object.keys(traits).sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(sorted.map((k) => [k, traits[k]]));
}

export function generateContexts(count: number, seed: number): unknown[] {
  const r = createRandom(seed);
  return Array.from({ length: count }, () => {
    const e = event(r);
    return { event: e, trigger: r() < 0.5 ? e : event(r), user: user(r) };
  });
}

/** Number of distinct object shapes (key lists) in the contexts, printed with the figures. */
export function countShapes(values: unknown[]): number {
  const shapes = new Set<string>();
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      shapes.add(Object.keys(v).join(','));
      Object.values(v).forEach(visit);
    }
  };
  values.forEach(visit);
  return shapes.size;
}
