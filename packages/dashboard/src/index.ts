/** Read-only StreamSuites dashboard: a loopback web server and an offline page over the runtime's JSON snapshots. */
export { startDashboardServer } from './server.js';
export type { DashboardServer, DashboardServerOptions } from './server.js';
export { isLoopbackHost } from './hosts.js';
export { defaultAssetsDir } from './assets.js';
export {
  SS_ERR_DASHBOARD_ASSETS_MISSING,
  SS_ERR_DASHBOARD_LISTEN_FAILED,
  SS_ERR_DASHBOARD_OPTION_INVALID,
  SS_ERR_DASHBOARD_PORT_IN_USE,
  SS_ERR_DASHBOARD_REMOTE_REFUSED,
  SS_ERR_DASHBOARD_ROOT_INVALID,
} from './errors.js';
export { buildStaticDashboard, normalizeFallbackStateRoot } from './static-build.js';
export type { StaticDashboardBuild, StaticDashboardOptions } from './static-build.js';
export { SS_ERR_DASHBOARD_BUILD_FAILED, SS_ERR_DASHBOARD_BUILD_INVALID, SS_ERR_DASHBOARD_BUILD_NOT_EMPTY } from './errors.js';
