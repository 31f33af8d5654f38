import { actionKafka } from '@tripwire/rules';
import { createKafkaExecutor } from './action-kafka.ts';
import { defineExecutor } from './executors.ts';

export default defineExecutor(actionKafka, (deps) =>
  createKafkaExecutor(deps.producer, deps.ownTopics, deps.kafkaTopicsPerTenant),
);
