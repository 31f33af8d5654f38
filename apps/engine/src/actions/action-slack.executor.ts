import { actionSlack } from '@tripwire/rules';
import { defineExecutor } from './executors.ts';

/** Slack answers 200 "ok"; a 4xx (a revoked webhook, a bad payload) dead-letters, a 429 or 5xx retries. */
export default defineExecutor(actionSlack, (deps) => async (job, signal) => {
  const { webhookUrl, text } = job.config as { webhookUrl: string; text: string };
  const result = await deps.webhook.execute(
    { url: webhookUrl, method: 'POST', headers: {}, body: { text } },
    { webhookId: job.actionId, secrets: await deps.signingSecrets(job.tenantId), signal },
  );
  return { ...result };
});
