import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROMETHEUS_ALERTS_FILE, prometheusAlertRules, renderPrometheusAlerts } from './prometheus.js';
import { ALERT_RULES, DEFAULT_THRESHOLDS, evaluateRules, type AlertRule } from './rules.js';

const repoFile = (rel: string) => fs.readFileSync(new URL(`../../../${rel}`, import.meta.url), 'utf8');
const exprOf = (id: string, t = DEFAULT_THRESHOLDS) => prometheusAlertRules(t).find((r) => r.alert === id)!.expr;

describe('alert rules defined once', () => {
  it('the committed infra/prometheus/alerts.yml is what the rules generate (else: pnpm alerts:generate)', () => {
    expect(repoFile(PROMETHEUS_ALERTS_FILE)).toBe(renderPrometheusAlerts());
  });

  it('ids are unique and each has its runbook section in docs/operations.md', () => {
    const ids = ALERT_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    const headings = repoFile('docs/operations.md')
      .split('\n')
      .filter((l) => l.startsWith('### '))
      .map((l) => l.slice(4).trim());
    for (const id of ids) expect(headings, id).toContain(id);
    for (const r of prometheusAlertRules())
      expect(r.annotations.runbook).toBe(`docs/operations.md#${r.alert.toLowerCase()}`);
  });

  it('builds the PromQL from the thresholds', () => {
    expect(exprOf('ColdP95High')).toMatch(/\[5m\]\)\)\) > 10$/);
    expect(exprOf('CachedP95High')).toMatch(/ > 0\.05$/);
    const t = {
      ...DEFAULT_THRESHOLDS,
      coldP95Ms: 20_000,
      queueBacklog: 7,
      failureRate: 0.3,
      eventLoopLagP99Ms: 500,
      windowMinutes: 10,
      baselineMinutes: 30,
    };
    expect(exprOf('ColdP95High', t)).toMatch(/\[10m\]\)\)\) > 20$/);
    expect(exprOf('HitRateDrop', t)).toContain('[30m] offset 10m');
    expect(exprOf('HitRateDrop', t)).toContain('cache="miss", outcome="ok"}[10m]');
    expect(exprOf('QueueBacklogGrowing', t)).toMatch(/ > 7\nand deriv\(.*\[10m:30s\]\) > 0$/);
    expect(exprOf('FailureRateHigh', t)).toMatch(/\n> 0\.3$/);
    expect(exprOf('EventLoopLagHigh', t)).toMatch(/ > 0\.5$/);
    const summaries = prometheusAlertRules(t).map((r) => r.annotations.summary);
    expect(summaries).toContain('Cold conversions p95 {{ $value | humanizeDuration }} (> 20 s over 10 min)');
    expect(summaries).toContain('Cache hit rate fell {{ $value | humanizePercentage }} below its trailing 30 min');
  });

  it('the in-process conditions carry the rule’s id and severity', () => {
    const circuits = [{ instance: 'a', tier: 'redis', state: 'open' as const, at: 0 }];
    const [c] = evaluateRules({ minutes: [], circuits });
    const rule = ALERT_RULES.find((r) => r.id === 'CacheCircuitOpen')!;
    expect(c).toMatchObject({ id: rule.id, severity: rule.severity, value: 1, threshold: 0 });
    // Rules on process metrics only Prometheus has are not evaluated in-process.
    expect(ALERT_RULES.find((r) => r.id === 'EventLoopLagHigh')!.evaluate).toBeUndefined();
  });

  it('writes long, multi-line or unsafe expressions as literal blocks and escapes summaries', () => {
    const rule = (id: string, expr: string, summary: string): AlertRule => ({
      id,
      severity: 'warning',
      description: id,
      prometheus: { expr: () => expr, for: '1m', summary: () => summary },
    });
    const text = renderPrometheusAlerts(DEFAULT_THRESHOLDS, [
      rule('Short', 'up == 0', 'say "hi"'),
      rule('Colon', 'a{x="a: b"} > 0', 'x'),
      rule('Lines', 'a\n> 0', 'x'),
    ]);
    expect(text).toContain('        expr: up == 0\n');
    expect(text).toContain('          summary: "say \\"hi\\""\n');
    expect(text).toContain('        expr: |\n          a{x="a: b"} > 0\n');
    expect(text).toContain('        expr: |\n          a\n          > 0\n');
  });
});
