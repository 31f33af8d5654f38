import { logicBudgetOverruns } from '@tripwire/rules';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Rule evaluations the evaluation budget stopped (@tripwire/rules counts them wherever a rule ran:
 * a filter or wait match then counts as not matching, a condition fails its run with the reason).
 */
function budgetCounter(registers: Registry[]) {
  const reported = { steps: 0, size: 0 };
  return new Counter({
    name: 'tripwire_rule_budget_exceeded_total',
    help: 'Rule evaluations stopped by the evaluation budget (too many steps, or too large lists or text)',
    labelNames: ['limit'],
    registers,
    collect() {
      const now = logicBudgetOverruns();
      for (const limit of ['steps', 'size'] as const) {
        this.inc({ limit }, now[limit] - reported[limit]);
        reported[limit] = now[limit];
      }
    },
  });
}

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tripwire_engine_' });
  const registers = [registry];
  const counter = (name: string, help: string, labelNames: string[] = []) =>
    new Counter({ name, help, labelNames, registers });
  return {
    registry,
    eventsConsumed: counter('tripwire_events_consumed_total', 'Kafka messages read from the events topic'),
    eventsMatched: counter('tripwire_events_matched_total', 'Events some active workflow cares about'),
    eventsDuplicate: counter(
      'tripwire_events_duplicate_total',
      'Redelivered events skipped because their effects were committed',
    ),
    eventsSuppressed: counter('tripwire_events_suppressed_total', 'Events of deleted (suppressed) users, ignored'),
    eventsDeadLettered: counter(
      'tripwire_events_dead_lettered_total',
      'Malformed or unprocessable events sent to the DLQ topic',
      ['reason'],
    ),
    evaluationSeconds: new Histogram({
      name: 'tripwire_batch_evaluation_seconds',
      help: 'Time to evaluate and commit one Kafka batch',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    runsStarted: counter('tripwire_runs_started_total', 'Runs started by a trigger'),
    runsCompleted: counter('tripwire_runs_completed_total', 'Runs that finished without a pending wait'),
    runsResumed: counter('tripwire_runs_resumed_total', 'Waits resumed (event received, delay elapsed or timeout)'),
    runsFailed: counter('tripwire_runs_failed_total', 'Runs stopped by a node that could not run'),
    lookups: counter(
      'tripwire_lookups_total',
      'Look-ups made while walking runs, by outcome (ok, cached, or why they failed)',
      ['outcome'],
    ),
    lookupSeconds: new Histogram({
      name: 'tripwire_lookup_seconds',
      help: 'Time a look-up held up its walk (cache hits included)',
      buckets: [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2, 5, 10],
      registers,
    }),
    ruleErrors: counter(
      'tripwire_rule_errors_total',
      'Filters and wait matches that threw on an event (taken as not matching)',
      ['node'],
    ),
    ruleBudgetExceeded: budgetCounter(registers),
    jobsEnqueued: counter('tripwire_jobs_enqueued_total', 'pg-boss jobs enqueued', ['queue']),
    jobsCompleted: counter('tripwire_jobs_completed_total', 'Action jobs that succeeded', ['queue']),
    jobsFailed: counter('tripwire_jobs_failed_total', 'Action job attempts that failed', ['queue', 'retriable']),
    deadLetters: counter('tripwire_dead_letters_total', 'Actions filed as dead letters', ['queue']),
    consumerLag: new Gauge({
      name: 'tripwire_consumer_lag',
      help: 'Messages behind the end of the events topic',
      registers,
    }),
    consumerLagSeconds: new Gauge({
      name: 'tripwire_consumer_lag_seconds',
      help: 'Age of the newest event processed, on the partition furthest behind (0 when caught up)',
      registers,
    }),
    actionSeconds: new Histogram({
      name: 'tripwire_action_duration_seconds',
      help: 'Time one action attempt took (the webhook call, the Kafka publish), by queue and outcome',
      labelNames: ['queue', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    actionFailures: counter(
      'tripwire_action_failures_total',
      'Failed action attempts by queue and reason code (webhook.server_error, webhook.timeout, crash…)',
      ['queue', 'reason'],
    ),
    jobQueueDepth: new Gauge({
      name: 'tripwire_job_queue_depth',
      help: "pg-boss jobs per queue: ready (due, waiting for a worker), deferred (due later), active; pg-boss's monitor refreshes the counts every minute",
      labelNames: ['queue', 'state'],
      registers,
    }),
    oldestOverdueWaitSeconds: new Gauge({
      name: 'tripwire_oldest_overdue_wait_seconds',
      help: 'How long the most overdue wait (delay or timeout) has been due without being resumed',
      registers,
    }),
    workflowsLoaded: new Gauge({
      name: 'tripwire_workflows_loaded',
      help: 'Active published workflows in memory',
      registers,
    }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
