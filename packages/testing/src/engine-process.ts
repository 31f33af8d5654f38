// Runs the real engine as a child process, so tests can SIGKILL it: from source by default, or as it
// ships (the bundle with its `start` script's node flags) for tests that run after the build.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// The engine app of this repository (apps/engine), wherever the checkout is.
const engineDir = fileURLToPath(new URL('../../../apps/engine/', import.meta.url));

export interface EngineProcess {
  process: ChildProcess;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** `<flags> dist/main.js`: node's arguments in the engine package's `start` script, as it ships. */
export function shippedArgs(): string[] {
  const pkg = JSON.parse(readFileSync(new URL('package.json', `file://${engineDir}`), 'utf8'));
  return String(pkg.scripts.start).split(' ').slice(1);
}

export function startEngineProcess(
  env: Record<string, string>,
  {
    shipped = false,
    startTimeoutMs = 60_000,
  }: {
    shipped?: boolean;
    /** How long it may take to say 'engine started' (loading the source on a loaded machine is slow). */
    startTimeoutMs?: number;
  } = {},
): Promise<EngineProcess> {
  const child = spawn(process.execPath, shipped ? shippedArgs() : ['src/main.ts'], {
    cwd: engineDir,
    env: { ...process.env, ENGINE_PORT: '0', LOG_LEVEL: 'info', KAFKA_FROM_BEGINNING: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (c) => {
    out += c;
  });
  child.stderr?.on('data', (c) => {
    out += c;
  });
  const handle: EngineProcess = {
    process: child,
    output: () => out,
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      // Never leave a half-started engine behind to consume a test's topic.
      child.kill('SIGKILL');
      reject(new Error(`engine did not start:\n${out}`));
    }, startTimeoutMs);
    const check = setInterval(() => {
      if (out.includes('"msg":"engine started"')) {
        clearTimeout(timer);
        clearInterval(check);
        resolve(handle);
      }
    }, 50);
    child.once('exit', (code) => {
      clearTimeout(timer);
      clearInterval(check);
      reject(new Error(`engine exited with ${code}:\n${out}`));
    });
  });
}
