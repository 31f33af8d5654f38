// The operator dashboard and alert rules (ops/) can only be looked at with Prometheus and Grafana
// running, which the dev machines do not have. This checks them by reading: every PromQL
// expression parses, and every metric and label it names is one the apps' registries really
// export (read from createMetrics/createWebMetrics, not from a list kept here).
import { readFileSync } from 'node:fs';
import { parser } from '@prometheus-io/lezer-promql';
import type { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { EngineEnv } from '../../apps/engine/src/env.ts';
import { createMetrics } from '../../apps/engine/src/metrics.ts';
import { WebEnv } from '../../apps/web/src/env.ts';
import { createWebMetrics } from '../../apps/web/src/metrics.ts';

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

/** Series names a registry exports (histograms as _bucket/_sum/_count), with their label names. */
async function exported(registry: Registry): Promise<Map<string, Set<string>>> {
  const series = new Map<string, Set<string>>();
  for (const metric of await registry.getMetricsAsJSON()) {
    const single = registry.getSingleMetric(metric.name) as unknown as { labelNames?: string[] } | undefined;
    const labels = new Set(['instance', 'job', ...(single?.labelNames ?? [])]);
    for (const value of metric.values) for (const label of Object.keys(value.labels)) labels.add(label);
    const type = String(metric.type);
    if (type === 'histogram') {
      series.set(`${metric.name}_bucket`, new Set([...labels, 'le']));
      series.set(`${metric.name}_sum`, labels);
      series.set(`${metric.name}_count`, labels);
    } else if (type === 'summary') {
      series.set(metric.name, new Set([...labels, 'quantile']));
      series.set(`${metric.name}_sum`, labels);
      series.set(`${metric.name}_count`, labels);
    } else series.set(metric.name, labels);
  }
  return series;
}

// Series Prometheus makes itself for every scrape target.
const PROMETHEUS_OWN = new Map([['up', new Set(['instance', 'job'])]]);

interface Selector {
  metric: string;
  labels: string[];
}

/** Parses one expression; returns its vector selectors, or throws with the position of a syntax error. */
function selectors(expr: string): Selector[] {
  const found: Selector[] = [];
  let error: number | undefined;
  parser.parse(expr).iterate({
    enter(node) {
      if (node.type.isError) error ??= node.from;
      if (node.name !== 'VectorSelector') return;
      const name = node.node.getChild('Identifier');
      const matchers = node.node.getChild('LabelMatchers');
      const labels = matchers ? matchers.getChildren('UnquotedLabelMatcher') : [];
      found.push({
        metric: name ? expr.slice(name.from, name.to) : '',
        labels: labels.map((m) => {
          const label = m.getChild('LabelName');
          return label ? expr.slice(label.from, label.to) : '';
        }),
      });
    },
  });
  if (error !== undefined) throw new Error(`PromQL syntax error at ${error}: ${expr}`);
  return found;
}

interface Panel {
  title: string;
  description?: string;
  targets?: { expr: string }[];
}
const dashboard = JSON.parse(read('ops/grafana/dashboards/tripwire-operations.json')) as {
  uid: string;
  panels: Panel[];
};
const alerts = parse(read('ops/prometheus/alerts.yml')) as {
  groups: {
    rules: { alert: string; expr: string; labels?: { severity?: string }; annotations?: { summary?: string } }[];
  }[];
};
const rules = alerts.groups.flatMap((g) => g.rules);
const exprs = [
  ...dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ where: `panel "${p.title}"`, expr: t.expr }))),
  ...rules.map((r) => ({ where: `alert ${r.alert}`, expr: r.expr })),
];

describe('operator dashboard and alert rules', () => {
  it('query only metrics and labels the engine and the web app export', async () => {
    const known = new Map([
      ...PROMETHEUS_OWN,
      ...(await exported(createMetrics().registry)),
      ...(await exported(createWebMetrics().registry)),
    ]);
    const problems: string[] = [];
    for (const { where, expr } of exprs) {
      for (const s of selectors(expr)) {
        const labels = known.get(s.metric);
        if (!labels) problems.push(`${where}: ${s.metric} is not exported`);
        else for (const l of s.labels) if (!labels.has(l)) problems.push(`${where}: ${s.metric} has no label ${l}`);
      }
    }
    expect(problems).toEqual([]);
    expect(exprs.length).toBeGreaterThan(20);
  });

  it('catches a metric nobody exports (the check can fail)', async () => {
    expect(selectors('sum(rate(tripwire_no_such_thing_total{queue="a"}[5m]))')).toEqual([
      { metric: 'tripwire_no_such_thing_total', labels: ['queue'] },
    ]);
    expect(() => selectors('sum(rate(tripwire_events_consumed_total[5m])')).toThrow('PromQL syntax error');
  });

  it('has the panels the issue asks for, each saying in one line what bad looks like', () => {
    for (const p of dashboard.panels) {
      expect(p.description, p.title).toMatch(/^Bad: [^\n]+$/);
      expect(p.targets?.length, p.title).toBeGreaterThan(0);
    }
    const used = exprs.map((e) => e.expr).join('\n');
    for (const metric of [
      'tripwire_ingest_events_total', // events in
      'tripwire_events_consumed_total', // events out of Kafka
      'tripwire_consumer_lag', // lag in messages
      'tripwire_consumer_lag_seconds', // lag in seconds
      'tripwire_runs_started_total',
      'tripwire_runs_completed_total',
      'tripwire_action_duration_seconds_bucket', // p50/p95/p99
      'tripwire_action_failures_total', // failures by reason
      'tripwire_dead_letters_total', // dead-letter inflow
      'tripwire_oldest_overdue_wait_seconds',
      'tripwire_job_queue_depth',
      'tripwire_engine_process_resident_memory_bytes',
      'tripwire_engine_nodejs_eventloop_lag_p99_seconds',
    ])
      expect(used, metric).toMatch(new RegExp(`\\b${metric}\\b`));
    for (const q of [0.5, 0.95, 0.99])
      expect(used).toContain(`histogram_quantile(${q}, sum by (le) (rate(tripwire_action_duration_seconds_bucket`);
  });

  it('alert rules name a severity and say what is wrong', () => {
    expect(rules.length).toBeGreaterThanOrEqual(8);
    for (const r of rules) {
      expect(['warning', 'critical'], r.alert).toContain(r.labels?.severity);
      expect(r.annotations?.summary, r.alert).toBeTruthy();
    }
  });
});

describe('Prometheus and Grafana wiring', () => {
  interface Service {
    image?: string;
    environment?: Record<string, string | number>;
    volumes?: string[];
    ports?: string[];
  }
  const { services } = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };
  const targets = (file: string) =>
    Object.fromEntries(
      (
        parse(read(file)) as { scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[] }
      ).scrape_configs.map((c) => [c.job_name, c.static_configs.flatMap((s) => s.targets)]),
    );

  it('docker-compose runs Prometheus and Grafana, provisioned from ops/, on loopback ports', () => {
    expect(services.prometheus?.image).toMatch(/^prom\/prometheus:v3\./);
    expect(services.grafana?.image).toMatch(/^grafana\/grafana:\d+\./);
    expect(services.prometheus?.volumes).toEqual(
      expect.arrayContaining([
        './ops/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro',
        './ops/prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro',
      ]),
    );
    expect(services.grafana?.volumes).toEqual(
      expect.arrayContaining([
        './ops/grafana/provisioning:/etc/grafana/provisioning:ro',
        './ops/grafana/dashboards:/etc/grafana/dashboards:ro',
      ]),
    );
    for (const name of ['prometheus', 'grafana'])
      for (const p of services[name]?.ports ?? []) expect(p).toMatch(/^127\.0\.0\.1:/);
    const provider = parse(read('ops/grafana/provisioning/dashboards/tripwire.yml')) as {
      providers: { options: { path: string } }[];
    };
    expect(provider.providers[0]?.options.path).toBe('/etc/grafana/dashboards');
    const datasource = parse(read('ops/grafana/provisioning/datasources/prometheus.yml')) as {
      datasources: { uid: string; url: string }[];
    };
    expect(datasource.datasources[0]).toMatchObject({ uid: 'prometheus', url: 'http://prometheus:9090' });
    const uids = JSON.stringify(dashboard).match(/"uid":\s*"([^"]+)"/g) ?? [];
    for (const u of uids)
      expect([`"uid": "prometheus"`, `"uid": "${dashboard.uid}"`]).toContain(u.replace(/:\s*/, ': '));
  });

  it('scrapes the ports the apps serve /metrics on, in compose and locally', () => {
    const web = services.web?.environment ?? {};
    const engine = services.engine?.environment ?? {};
    expect(targets('ops/prometheus/prometheus.yml')).toEqual({
      'tripwire-web': [`web:${web.WEB_METRICS_PORT}`],
      'tripwire-engine': [`engine:${engine.ENGINE_PORT}`],
    });
    expect(web.WEB_METRICS_HOST).toBe('0.0.0.0');
    expect(targets('ops/prometheus/prometheus.local.yml')).toEqual({
      'tripwire-web': [`127.0.0.1:${WebEnv.parse({}).WEB_METRICS_PORT}`],
      'tripwire-engine': [`127.0.0.1:${EngineEnv.parse({}).ENGINE_PORT}`],
    });
  });
});
