import { ALERT_RULES, DEFAULT_THRESHOLDS, runbookOf, type AlertRule, type AlertThresholds } from './rules.js';

/** The generated file, relative to the repository root. */
export const PROMETHEUS_ALERTS_FILE = 'infra/prometheus/alerts.yml';

/** One Prometheus alerting rule, as it appears in the generated file. */
export interface PrometheusAlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: string };
  annotations: { summary: string; runbook: string };
}

/** The Prometheus form of each rule, with the thresholds filled in. */
export function prometheusAlertRules(
  t: AlertThresholds = DEFAULT_THRESHOLDS,
  rules: readonly AlertRule[] = ALERT_RULES,
): PrometheusAlertRule[] {
  return rules.map((r) => ({
    alert: r.id,
    expr: r.prometheus.expr(t),
    for: r.prometheus.for,
    labels: { severity: r.severity },
    annotations: { summary: r.prometheus.summary(t), runbook: runbookOf(r) },
  }));
}

const HEADER = `# GENERATED from the alert rules in packages/monitoring/src/rules.ts: do not edit; change the rules
# there and run \`pnpm alerts:generate\` (scripts/generate-alerts.mjs). A test fails while they differ.
# The rules the API evaluates in-process on the shared Redis time buckets, as Prometheus alerting rules
# over the fleet's /metrics; thresholds are DEFAULT_THRESHOLDS, the defaults of ALERT_* (README "Observability").
`;

/** Written on one line when short and a safe plain scalar; otherwise a literal block. */
const inlineExpr = (expr: string) =>
  !expr.includes('\n') && expr.length + 14 <= 120 && /^[A-Za-z(]/.test(expr) && !/: | #|\s$/.test(expr);

function renderRule(r: PrometheusAlertRule, note: string | undefined): string {
  const lines = [`      - alert: ${r.alert}`];
  if (note) lines.push(`        # ${note}`);
  if (inlineExpr(r.expr)) lines.push(`        expr: ${r.expr}`);
  else lines.push('        expr: |', ...r.expr.split('\n').map((l) => `          ${l}`));
  lines.push(
    `        for: ${r.for}`,
    `        labels: { severity: ${r.labels.severity} }`,
    '        annotations:',
    `          summary: ${JSON.stringify(r.annotations.summary)}`,
    `          runbook: ${r.annotations.runbook}`,
  );
  return lines.join('\n') + '\n';
}

/** The whole of infra/prometheus/alerts.yml (what `pnpm alerts:generate` writes). */
export function renderPrometheusAlerts(
  t: AlertThresholds = DEFAULT_THRESHOLDS,
  rules: readonly AlertRule[] = ALERT_RULES,
): string {
  const prom = prometheusAlertRules(t, rules);
  return (
    HEADER +
    'groups:\n  - name: tracefleet\n    rules:\n' +
    prom.map((r, i) => renderRule(r, rules[i].prometheus.note)).join('')
  );
}
