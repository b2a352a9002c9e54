// Writes infra/prometheus/alerts.yml from the alert rules defined in packages/monitoring
// (src/rules.ts: each rule's in-process evaluation and its Prometheus form, thresholds from
// DEFAULT_THRESHOLDS). Reads the built package: `pnpm alerts:generate` builds it first.
// `--check` writes nothing and exits 1 when the committed file differs from what would be written.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const built = path.join(root, 'packages/monitoring/dist/prometheus.js');
if (!fs.existsSync(built)) {
  console.error(`${path.relative(root, built)} is missing: build first (pnpm alerts:generate does)`);
  process.exit(2);
}
const { PROMETHEUS_ALERTS_FILE, renderPrometheusAlerts } = await import(pathToFileURL(built).href);

const file = path.join(root, PROMETHEUS_ALERTS_FILE);
const text = renderPrometheusAlerts();
const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;

if (process.argv.includes('--check')) {
  if (current !== text) {
    console.error(`${PROMETHEUS_ALERTS_FILE} is not what the alert rules generate: run pnpm alerts:generate`);
    process.exit(1);
  }
  console.log(`${PROMETHEUS_ALERTS_FILE} is up to date`);
} else if (current === text) {
  console.log(`${PROMETHEUS_ALERTS_FILE} is up to date`);
} else {
  fs.writeFileSync(file, text);
  console.log(`wrote ${PROMETHEUS_ALERTS_FILE}`);
}
