import type { Helpers } from './helpers.ts';

// Generated source depends only on a rule's shape: its constants are closure slots. Rules of the
// same shape therefore share one factory, and every function a factory returns shares one set
// of optimised machine code and inline caches, so 500 rules need far fewer compiled bodies (and
// less instruction cache) than 500 separate `new Function`s would.

export type Factory = (h: Helpers, k: unknown[]) => (data?: unknown) => unknown;

const MAX_FACTORIES = 5000;
const factories = new Map<string, Factory>();

export function factoryFor(source: string): Factory {
  let factory = factories.get(source);
  if (factory === undefined) {
    factory = new Function('h', 'k', source) as Factory;
    if (factories.size >= MAX_FACTORIES) {
      const oldest = factories.keys().next().value;
      if (oldest !== undefined) factories.delete(oldest);
    }
    factories.set(source, factory);
  }
  return factory;
}
