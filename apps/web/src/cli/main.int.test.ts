import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const webDir = new URL('../..', import.meta.url).pathname;

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['src/cli/main.ts', ...args],
      { cwd: webDir, env: process.env },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

const dir = mkdtempSync(join(tmpdir(), 'tripwire-cli-'));
const flowFile = join(dir, 'flow.json');
writeFileSync(
  flowFile,
  JSON.stringify({
    name: 'From the CLI',
    nodes: [
      { id: 'start', type: 'trigger.event', version: 1, config: { event: 'signup' } },
      { id: 'log', type: 'action.log', version: 1, config: {} },
    ],
    edges: [{ source: 'start', target: 'log' }],
  }),
);

// Each CLI call is a fresh Node process that strips the types of the whole import graph (~3 s of CPU
// on this machine, far more when the suite runs beside other work), hence the generous timeout.
describe('admin CLI (npm run tripwire)', { timeout: 180_000 }, () => {
  it('creates a tenant, manages its keys, imports, publishes and exports a workflow', async () => {
    const created = await cli('tenant:create', 'CLI', 'Test');
    expect(created.code).toBe(0);
    const tenant = JSON.parse(created.stdout);
    expect(tenant).toEqual({
      tenantId: expect.any(String),
      writeKey: expect.stringMatching(/^tw_wk_/),
      adminKey: expect.stringMatching(/^tw_ak_/),
      signingSecret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{32}$/),
    });

    const key = await cli('apikey:create', '--tenant', tenant.tenantId, '--scope', 'ingest', '--name', 'ci');
    const { id: keyId, key: secret } = JSON.parse(key.stdout);
    expect(secret).toMatch(/^tw_wk_/);
    const revoked = await cli('apikey:revoke', '--tenant', tenant.tenantId, keyId);
    expect(JSON.parse(revoked.stdout)).toMatchObject({ id: keyId, revokedAt: expect.any(String) });
    expect((await cli('apikey:revoke', '--tenant', tenant.tenantId, keyId)).code).toBe(2);

    const imported = await cli('workflow:import', flowFile, '--tenant', tenant.tenantId, '--publish');
    expect(imported.code).toBe(0);
    const { id, version } = JSON.parse(imported.stdout);
    expect(version).toBe(1);
    const exported = await cli('workflow:export', id, '--tenant', tenant.tenantId);
    expect(JSON.parse(exported.stdout)).toEqual(JSON.parse(readFileSync(flowFile, 'utf8')));
  });

  it('creates and changes a plan, puts a tenant on it and off it, and explains bad limits', async () => {
    const name = `cli${Date.now().toString(36)}`;
    const created = await cli(
      'plan:create',
      name,
      '--events-per-month',
      '1000',
      '--actions-per-day',
      '50',
      '--over-quota',
      'drop',
    );
    expect(JSON.parse(created.stdout)).toEqual({
      id: name,
      ingestRatePerSecond: null,
      ingestBurst: null,
      eventsPerMonth: 1000,
      actionsPerDay: 50,
      workflows: null,
      overQuotaActions: 'drop',
    });
    const updated = await cli(
      'plan:update',
      name,
      '--actions-per-day',
      'none',
      '--workflows',
      '3',
      '--over-quota',
      'hold',
    );
    expect(JSON.parse(updated.stdout)).toMatchObject({
      eventsPerMonth: 1000,
      actionsPerDay: null,
      workflows: 3,
      overQuotaActions: 'hold',
    });
    const tenant = JSON.parse((await cli('tenant:create', 'Planned', '--plan', name)).stdout);
    expect(JSON.parse((await cli('tenant:plan', '--tenant', tenant.tenantId, 'none')).stdout)).toEqual({
      tenantId: tenant.tenantId,
      planId: null,
    });
    expect(await cli('plan:create', name)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('exists already'),
    });
    expect(await cli('plan:update', name, '--events-per-month', 'lots', '--over-quota', 'hold')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--events-per-month must be a whole number of at least 0, or none'),
    });
    expect(await cli('tenant:plan', '--tenant', tenant.tenantId, 'nope')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('No plan named nope'),
    });
  });

  it('explains bad input and exits non-zero', async () => {
    expect(await cli('tenant:create')).toMatchObject({ code: 2, stderr: expect.stringContaining('needs a name') });
    expect(await cli('apikey:create', '--tenant', 'nope', '--scope', 'ingest')).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--tenant'),
    });
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ name: 'x', nodes: [] }));
    const tenant = JSON.parse((await cli('tenant:create', 'Bad input')).stdout);
    const res = await cli('workflow:import', bad, '--tenant', tenant.tenantId);
    expect(res).toMatchObject({ code: 2, stderr: expect.stringContaining('not a workflow document v1') });
    expect((await cli('frobnicate')).stderr).toContain('Unknown command');
  });

  it('refuses a file with text Postgres cannot store before writing anything, naming where it is', async () => {
    const nul = join(dir, 'nul.json');
    writeFileSync(nul, readFileSync(flowFile, 'utf8').replace('"signup"', '"sign\\u0000up"'));
    const tenant = JSON.parse((await cli('tenant:create', 'Bad text')).stdout);
    expect(await cli('workflow:import', nul, '--tenant', tenant.tenantId)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('nodes.0.config.event: contains a NUL character'),
    });
  });
});
