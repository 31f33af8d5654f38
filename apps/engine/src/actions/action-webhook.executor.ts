import { actionWebhook } from '@tripwire/rules';
import { defineExecutor } from './executors.ts';

export default defineExecutor(actionWebhook, (deps) => async (job, signal) => {
  const c = job.config;
  const result = await deps.webhook.execute(
    {
      url: c.url as string,
      method: (c.method as 'POST' | 'PUT' | 'PATCH' | undefined) ?? 'POST',
      headers: (c.headers as Record<string, string> | undefined) ?? {},
      body: c.body ?? null,
    },
    { webhookId: job.actionId, secrets: await deps.signingSecrets(job.tenantId), signal },
  );
  return { ...result };
});
