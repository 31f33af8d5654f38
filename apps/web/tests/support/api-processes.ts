// Web processes of their own (tests/support/api-process.ts) on one topic, for tests of what must
// hold across processes: each resolves to its /v1 URL once listening; stopApiProcesses ends them.
import { type ChildProcess, spawn } from 'node:child_process';

const procs: ChildProcess[] = [];

export function startApiProcess(topic: string): Promise<string> {
  const child = spawn(process.execPath, ['tests/support/api-process.ts'], {
    cwd: new URL('../../', import.meta.url).pathname,
    env: { ...process.env, EVENTS_TOPIC: topic },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  procs.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`api process did not start:\n${out}`)), 170_000);
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n').find((l) => l.startsWith('{"url"'));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line).url);
      }
    });
    child.stderr?.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.once('exit', (code) => reject(new Error(`api process exited ${code}:\n${out}`)));
  });
}

/** SIGTERM to each (they give their unspent leases back and stop), resolved once all exited. */
export async function stopApiProcesses(): Promise<void> {
  await Promise.all(
    procs.splice(0).map(
      (p) =>
        new Promise<void>((resolve) => {
          if (p.exitCode !== null) return resolve();
          p.once('exit', () => resolve());
          p.kill('SIGTERM');
        }),
    ),
  );
}
