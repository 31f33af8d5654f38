// docker-compose.yml cannot run on the dev machines (no Docker engine), so this keeps it, .env.example
// and the apps' env schemas in agreement by reading them.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { EngineEnv } from '../../apps/engine/src/env.ts';
import { WebEnv } from '../../apps/web/src/env.ts';

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

const SCRIPT_ONLY = ['DATABASE_ADMIN_URL', 'TEST_DATABASE_NAME', 'KAFKA_VERSION', 'CHROMIUM_PATH'];
const appKeys = new Set([...Object.keys(EngineEnv.shape), ...Object.keys(WebEnv.shape)]);

function envExample(): Map<string, string> {
  const entries = read('.env.example')
    .split('\n')
    .filter((line) => /^[A-Z_]+=/.test(line))
    .map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]);
  return new Map(entries);
}

interface Service {
  image?: string;
  build?: string;
  environment?: Record<string, string | number>;
  command?: string[] | string;
  ports?: string[];
}
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };
const stringEnv = (s: Service) =>
  Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, String(v)]));

describe('.env.example', () => {
  const example = envExample();

  it('lists every variable the apps read, and nothing unknown', () => {
    for (const key of appKeys) expect(example.has(key), key).toBe(true);
    for (const key of example.keys()) expect(appKeys.has(key) || SCRIPT_ONLY.includes(key), key).toBe(true);
  });

  it('shows the same values the schemas default to', () => {
    const engine = EngineEnv.parse({});
    const web = WebEnv.parse({});
    for (const [key, value] of example) {
      const parsedValue = key in engine ? engine[key as keyof EngineEnv] : web[key as keyof WebEnv];
      if (parsedValue === undefined) continue;
      const shown = Array.isArray(parsedValue) ? parsedValue.join(',') : String(parsedValue);
      expect(shown, key).toBe(value);
    }
  });
});

describe('docker-compose.yml', () => {
  const { services } = compose;

  it('has postgres 17, a KRaft apache/kafka broker, a one-shot migrate, web and engine', () => {
    expect(services.postgres?.image).toBe('postgres:17');
    expect(services.kafka?.image).toMatch(/^apache\/kafka:4\./);
    expect(String(services.kafka?.environment?.KAFKA_PROCESS_ROLES)).toContain('controller');
    expect(services.migrate?.command).toEqual(['node', 'packages/db/src/provision-cli.ts', '--dev-only']);
    expect(services.web?.command).toEqual(['node', 'apps/web/server.ts']);
    // The engine runs as its start script does: the bundle, with the same heap flags.
    const engineStart = String(JSON.parse(read('apps/engine/package.json')).scripts.start).split(' ');
    expect(engineStart.at(-1)).toBe('dist/main.js');
    expect(services.engine?.command).toEqual([...engineStart.slice(0, -1), 'apps/engine/dist/main.js']);
    expect(read('scripts/start.sh')).toContain(`exec ${engineStart.join(' ')})`);
  });

  it('gives web and engine environments their own schemas accept, with the same names', () => {
    const web = stringEnv(services.web as Service);
    const engine = stringEnv(services.engine as Service);
    for (const key of [...Object.keys(web), ...Object.keys(engine)]) expect(appKeys.has(key), key).toBe(true);
    expect(WebEnv.safeParse(web).success).toBe(true);
    expect(EngineEnv.safeParse(engine).success).toBe(true);
    expect(engine.EVENTS_TOPIC).toBe(EngineEnv.parse({}).EVENTS_TOPIC);
    expect(web.EVENTS_TOPIC).toBe(WebEnv.parse({}).EVENTS_TOPIC);
  });

  it('creates the same topics as infra:up, the events topic with at least 6 partitions', () => {
    const command = String(services['kafka-topics']?.command);
    const { EVENTS_TOPIC, DLQ_TOPIC } = EngineEnv.parse({});
    const events = new RegExp(`--topic ${EVENTS_TOPIC.replaceAll('.', '\\.')} --partitions (\\d+)`).exec(command);
    expect(Number(events?.[1])).toBeGreaterThanOrEqual(6);
    expect(command).toContain(`--topic ${DLQ_TOPIC} `);
    const upScript = read('scripts/kafka/up.sh') + read('scripts/kafka/lib.sh');
    expect(upScript).toContain('tripwire.events');
  });

  it('publishes the default ports on loopback only', () => {
    expect(services.web?.ports).toEqual(['127.0.0.1:3000:3000']);
    expect(services.engine?.ports).toEqual(['127.0.0.1:3001:3001']);
    for (const [name, service] of Object.entries(services))
      for (const port of service.ports ?? []) expect(port, name).toMatch(/^127\.0\.0\.1:/);
    // The web's /metrics stays inside the compose network, for Prometheus only.
    expect(services.web?.ports?.some((p) => p.endsWith(`:${services.web?.environment?.WEB_METRICS_PORT}`))).toBe(false);
  });

  it('installs every workspace in the image before copying the sources (npm ci needs their manifests)', () => {
    const dockerfile = read('Dockerfile');
    const workspaces = ['apps', 'packages'].flatMap((dir) =>
      readdirSync(new URL(`${dir}/`, root), { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => `${dir}/${d.name}`),
    );
    expect(workspaces.length).toBeGreaterThanOrEqual(6);
    for (const w of workspaces) expect(dockerfile, w).toContain(`COPY ${w}/package.json ${w}/`);
  });
});
