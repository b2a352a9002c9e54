export { LATENCY_BOUNDS_MS, bucketIndex, quantile } from './histogram.js';
export { monitorKeys, minuteOf, hourOf } from './keys.js';
export {
  BucketRecorder,
  type RequestEvent,
  type JobEvent,
  type QueueCounts,
  type CircuitState,
  type RecorderOptions,
} from './recorder.js';
export {
  readMinutes,
  readTopImages,
  readCircuits,
  parseMinute,
  emptyMinute,
  totals,
  hitRate,
  failureRate,
  type MinuteStats,
  type TopImage,
  type CircuitReport,
} from './series.js';
export {
  ALERT_RULES,
  DEFAULT_THRESHOLDS,
  evaluateRules,
  runbookOf,
  type AlertThresholds,
  type AlertCondition,
  type AlertFinding,
  type AlertRule,
  type AlertInput,
  type AlertSeverity,
  type PrometheusForm,
} from './rules.js';
export {
  PROMETHEUS_ALERTS_FILE,
  prometheusAlertRules,
  renderPrometheusAlerts,
  type PrometheusAlertRule,
} from './prometheus.js';
export { AlertEngine, type ActiveAlert, type AlertEngineOptions, type AlertLogger } from './alerts.js';
export { buildDashboard, type DashboardData, type DashboardPoint } from './analytics.js';
