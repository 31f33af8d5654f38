import type { ActionJob } from '@tripwire/rules';
import type { Logger } from '../logger.ts';

/** action.log: one structured log line, for debugging flows. */
export function createLogExecutor(logger: Logger) {
  return async (job: ActionJob) => {
    logger.info(
      {
        tenantId: job.tenantId,
        workflowId: job.workflowId,
        runId: job.runId,
        nodeId: job.nodeId,
        message: job.config.message ?? null,
      },
      job.type,
    );
    return {};
  };
}
