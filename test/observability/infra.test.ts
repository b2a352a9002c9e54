import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ALERT_RULES } from '@tracefleet/monitoring';
import { createMetrics } from '@tracefleet/telemetry';
import { REPO_ROOT } from '../helpers/corpus.js';

const rules = parse(fs.readFileSync(path.join(REPO_ROOT, 'infra/prometheus/alerts.yml'), 'utf8')) as {
  groups: Array<{ rules: Array<{ alert: string; expr: string }> }>;
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
  it('ships every in-process alert rule as a Prometheus alerting rule', () => {
    const alerts = rules.groups.flatMap((g) => g.rules.map((r) => r.alert));
    for (const r of ALERT_RULES) expect(alerts, r.id).toContain(r.id);
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
