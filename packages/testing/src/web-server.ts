// Starts the built web app (node server.ts) on a free port for a test file and stops it afterwards.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// The web app of this repository (apps/web), wherever the checkout is.
const webDir = fileURLToPath(new URL('../../../apps/web/', import.meta.url));

export interface RunningWeb {
  url: string;
  metricsUrl: string;
  stop(): Promise<void>;
}

export function startWeb(env: Record<string, string> = {}): Promise<RunningWeb> {
  const child: ChildProcess = spawn(process.execPath, ['server.ts'], {
    cwd: webDir,
    // Every browser test comes from 127.0.0.1: per-address throttling would couple them.
    env: {
      ...process.env,
      NODE_ENV: 'production',
      WEB_PORT: '0',
      WEB_METRICS_PORT: '0',
      SIGNIN_FAILURES_PER_IP: '100000',
      SIGNUPS_PER_IP: '100000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`web did not start:\n${output}`)), 30_000);
    child.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    child.stdout?.on('data', (chunk) => {
      output += chunk;
      const listening = output
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { msg?: string; port?: number; metricsPort?: number })
        .find((entry) => entry.msg === 'web listening');
      if (!listening) return;
      clearTimeout(timer);
      resolve({
        url: `http://127.0.0.1:${listening.port}`,
        metricsUrl: `http://127.0.0.1:${listening.metricsPort}/metrics`,
        stop: () =>
          new Promise((done) => {
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`web exited with ${code}:\n${output}`));
    });
  });
}
