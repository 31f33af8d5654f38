// Contracts between the web app and the engine: the Kafka envelope and its limits, pg-boss job
// payloads and queue names. Both sides import these; nothing here is written twice.
export * from './endpoints.ts';
export * from './envelope.ts';
export * from './jobs.ts';
export * from './limits.ts';
export * from './lookup.ts';
export * from './quotas.ts';
export * from './text-policy.ts';
