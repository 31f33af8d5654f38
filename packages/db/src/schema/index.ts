export * from './api-keys.ts';
export * from './engine-state.ts';
export * from './event-catalog.ts';
export * from './profiles.ts';
export * from './signing-secrets.ts';
export * from './tenancy.ts';
export * from './tenant-policy.ts';
export * from './workflows.ts';
