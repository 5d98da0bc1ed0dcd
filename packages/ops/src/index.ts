/**
 * @streamsuites/ops — operations endpoints for a StreamSuites runtime:
 * `/healthz` (live, ready, per-plugin and per-creator status) and `/metrics`
 * (Prometheus text through prom-client) on a loopback port.
 */
export { startOpsServer, DEFAULT_OPS_PORT } from './server.js';
export type { OpsServer, StartOpsServerOptions } from './server.js';
export { createMetrics } from './metrics.js';
export type { CreateMetricsOptions, OpsMetrics } from './metrics.js';
export { healthReport } from './health.js';
export type { HealthReport, HealthStatus } from './health.js';
export { ConnectionTracker } from './connections.js';
export type { ConnectionInfo } from './connections.js';
export { isLoopbackHost } from './loopback.js';
export { SS_ERR_OPS_HOST_NOT_LOOPBACK, SS_ERR_OPS_LISTEN } from './errors.js';
