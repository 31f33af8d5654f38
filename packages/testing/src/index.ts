// Test support shared by the apps' integration and browser tests (real Postgres, Kafka, HTTP).
export * from './engine-process.ts';
export * from './events.ts';
export * from './kafka.ts';
export * from './receiver.ts';
export * from './until.ts';
export * from './web-server.ts';
