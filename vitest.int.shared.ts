// Environment for integration tests: the real local Postgres (test database, app role) and the
// real Kafka broker that infra:up started. Each test still makes its own tenant, topic and group.
export const integrationEnv = {
  DATABASE_URL: process.env.TEST_DATABASE_URL ?? 'postgres://tripwire_app:tripwire_app@127.0.0.1:5432/tripwire_test',
  DATABASE_ADMIN_URL: process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/tripwire_test',
  KAFKA_BROKERS: process.env.KAFKA_BROKERS ?? '127.0.0.1:9092',
};
