import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ENV_VARS, loadConfig } from '@tracefleet/config';
import { ALERT_RULES, DEFAULT_THRESHOLDS, prometheusAlertRules } from '@tracefleet/monitoring';
import { createMetrics } from '@tracefleet/telemetry';
import { REPO_ROOT } from '../helpers/corpus.js';

const rules = parse(fs.readFileSync(path.join(REPO_ROOT, 'infra/prometheus/alerts.yml'), 'utf8')) as {
  groups: Array<{ name: string; rules: Array<{ alert: string; expr: string } & Record<string, unknown>> }>;
};
const dashboard = JSON.parse(
  fs.readFileSync(path.join(REPO_ROOT, 'infra/grafana/tracefleet-dashboard.json'), 'utf8'),
) as { panels: Array<{ title: string; type: string; targets: Array<{ expr: string }> }> };

/** Every metric family the API and workers export (prom-client adds _bucket/_sum/_count to histograms). */
async function exported(): Promise<Set<string>> {
  const names = new Set<string>();
  for (const service of ['api', 'worker'] as const) {
    for (const m of await createMetrics(service).registry.getMetricsAsJSON()) {
      names.add(m.name);
      if (m.type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(m.name + s);
    }
  }
  return names;
}
const referenced = (expr: string) =>
  [...expr.matchAll(/\b((?:tracefleet|nodejs|process)_[a-z0-9_]+)\b/g)].map((m) => m[1]);

describe('infra stays in step with the code', () => {
  it('infra/prometheus/alerts.yml is what scripts/generate-alerts.mjs writes from the rules', () => {
    // Exits 1 when the committed file differs (a rule changed without `pnpm alerts:generate`).
    const out = execFileSync(process.execPath, ['scripts/generate-alerts.mjs', '--check'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    expect(out).toContain('up to date');
  });

  it('ships every alert rule, as defined, as a Prometheus alerting rule', () => {
    expect(rules.groups.map((g) => g.name)).toEqual(['tracefleet']);
    const shipped = rules.groups[0].rules.map((r) => ({ ...r, expr: r.expr.trimEnd() }));
    expect(shipped).toEqual(prometheusAlertRules());
    expect(shipped.map((r) => r.alert)).toEqual(ALERT_RULES.map((r) => r.id));
  });

  it('alert thresholds are the defaults of the ALERT_* variables', () => {
    const config = loadConfig({});
    const documented = (name: string) => Number(ENV_VARS.find((v) => v.name === name)!.default);
    const pairs: Array<[string, number, number]> = [
      ['ALERT_COLD_P95_MS', config.alertColdP95Ms, DEFAULT_THRESHOLDS.coldP95Ms],
      ['ALERT_CACHED_P95_MS', config.alertCachedP95Ms, DEFAULT_THRESHOLDS.cachedP95Ms],
      ['ALERT_HIT_RATE_DROP_PERCENT', config.alertHitRateDropPercent, DEFAULT_THRESHOLDS.hitRateDrop * 100],
      ['ALERT_QUEUE_BACKLOG', config.alertQueueBacklog, DEFAULT_THRESHOLDS.queueBacklog],
      ['ALERT_FAILURE_RATE_PERCENT', config.alertFailureRatePercent, DEFAULT_THRESHOLDS.failureRate * 100],
    ];
    for (const [name, loaded, threshold] of pairs) {
      expect(threshold, name).toBeCloseTo(loaded, 9);
      expect(threshold, name).toBeCloseTo(documented(name), 9);
    }
  });

  it('alert rules and Grafana panels only query metrics the fleet exports', async () => {
    const names = await exported();
    const exprs = [
      ...rules.groups.flatMap((g) => g.rules.map((r) => r.expr)),
      ...dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)),
    ];
    expect(exprs.length).toBeGreaterThan(20);
    for (const e of exprs)
      for (const metric of referenced(e)) expect(names, `${metric} in ${e.slice(0, 80)}`).toContain(metric);
  });

  it('has a Grafana panel for each view of the dashboard', () => {
    const titles = dashboard.panels.map((p) => p.title.toLowerCase()).join(' | ');
    for (const word of [
      'hit rate',
      'cold vs cached',
      'throughput',
      'queue depth',
      'failure rate',
      'logo types',
      'circuit',
      'event loop',
      'alerts',
    ])
      expect(titles).toContain(word);
  });
});
