// The real engine as its own process, as it ships (`node dist/main.js`, the bundle `npm run build`
// makes), configured only through its env, with its resident memory sampled from /proc and its
// Prometheus counters read from /metrics.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import { shippedArgs } from '@tripwire/testing';

export interface EngineChildOptions {
  env: Record<string, string>;
  cpuProfileDir?: string;
  /** Where the engine's log lines go (kept for a look after a failed run). */
  logFile?: string;
  nodeArgs?: string[];
  /** The entry point, relative to apps/engine (default: the bundle). */
  entry?: string;
}

export async function startEngineChild({
  env,
  cpuProfileDir,
  logFile,
  nodeArgs = [],
  entry = 'dist/main.js',
}: EngineChildOptions) {
  const cwd = new URL('..', import.meta.url).pathname;
  const args = [
    ...shippedArgs().filter((arg) => arg.startsWith('--')),
    ...nodeArgs,
    ...(cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`] : []),
    entry,
  ];
  const spawnedAt = performance.now();
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail: string[] = [];
  const file = logFile ? createWriteStream(logFile) : undefined;
  const problems: string[] = [];
  let startedAt: number | undefined;
  const port = await new Promise<number>((resolve, reject) => {
    let buffered = '';
    const onLine = (line: string) => {
      tail.push(line);
      if (tail.length > 50) tail.shift();
      if (line.includes('"level":50') || line.includes('"level":60')) problems.push(line);
      if (line.includes('"health server listening"')) resolve(JSON.parse(line).port as number);
      if (line.includes('"engine started"')) startedAt = performance.now();
    };
    child.stdout?.on('data', (chunk: Buffer) => {
      file?.write(chunk);
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) onLine(line);
    });
    child.stderr?.on('data', (chunk: Buffer) => tail.push(chunk.toString('utf8')));
    child.once('exit', (code) => reject(new Error(`engine exited ${code}:\n${tail.join('\n')}`)));
    setTimeout(() => reject(new Error('engine did not listen within 30 s')), 30_000).unref();
  });

  let maxRss = 0;
  const rss = () => {
    try {
      const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0);
      maxRss = Math.max(maxRss, kb * 1024);
      return kb * 1024;
    } catch {
      return 0;
    }
  };
  const sampler = setInterval(rss, 200);

  /** One Prometheus sample, summed over its labels. */
  async function metric(name: string): Promise<number> {
    const text = await fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text());
    let sum = 0;
    for (const line of text.split('\n'))
      if (line.startsWith(`${name} `) || line.startsWith(`${name}{`)) sum += Number(line.split(' ').pop());
    return sum;
  }

  return {
    pid: child.pid,
    spawnedAt,
    startedAt: () => startedAt,
    port,
    metric,
    rss,
    /** Highest VmRSS since the last reset. */
    maxRss: () => maxRss,
    resetMaxRss: () => {
      maxRss = rss();
    },
    problems,
    tail,
    async stop() {
      clearInterval(sampler);
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 35_000);
      await exited;
      clearTimeout(timer);
      file?.end();
    },
  };
}
export type EngineChild = Awaited<ReturnType<typeof startEngineChild>>;
