// Plumbing for the Node processes (web and engine); nothing here knows about workflows or tenants.
export { commaList, flag, kafkaBrokers, loadEnv, logLevel } from './env.ts';
export type { Logger } from './logger.ts';
export { createLogger } from './logger.ts';
export * from './outbound/address-policy.ts';
export * from './outbound/json-lookup.ts';
export * from './outbound/pinned-dispatcher.ts';
export type { ListenerOptions } from './pg-listener.ts';
export { createListener } from './pg-listener.ts';
export * from './webhook-signature.ts';
