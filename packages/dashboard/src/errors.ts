import { defineError } from '@streamsuites/kernel';

export const SS_ERR_DASHBOARD_ROOT_INVALID = defineError(
  'SS_ERR_DASHBOARD_ROOT_INVALID',
  (root: string, problem: string) => `state root "${root}" ${problem}`,
  'Pass the exports root: the folder that holds runtime/ and shared/ (the exports plugin\'s `root`).',
);

export const SS_ERR_DASHBOARD_OPTION_INVALID = defineError(
  'SS_ERR_DASHBOARD_OPTION_INVALID',
  (option: string, problem: string) => `dashboard option "${option}" ${problem}`,
);

export const SS_ERR_DASHBOARD_PORT_IN_USE = defineError(
  'SS_ERR_DASHBOARD_PORT_IN_USE',
  (host: string, port: number) => `port ${port} on ${host} is already in use`,
  'Stop the program using it, or choose another port (0 picks a free one).',
);

export const SS_ERR_DASHBOARD_LISTEN_FAILED = defineError(
  'SS_ERR_DASHBOARD_LISTEN_FAILED',
  (host: string, port: number, reason: string) => `cannot listen on ${host}:${port}: ${reason}`,
  'Check the host is an address of this machine (default 127.0.0.1) and the port is allowed (ports below 1024 need privileges).',
);

export const SS_ERR_DASHBOARD_ASSETS_MISSING = defineError(
  'SS_ERR_DASHBOARD_ASSETS_MISSING',
  (dir: string) => `the dashboard page is missing from ${dir}`,
  'Reinstall @streamsuites/dashboard: its assets/ folder ships with the package.',
);

export const SS_ERR_DASHBOARD_REMOTE_REFUSED = defineError(
  'SS_ERR_DASHBOARD_REMOTE_REFUSED',
  (host: string) => `refusing to bind the dashboard to ${host}: it is not a loopback address, so other machines could reach it`,
  'Pass --allow-remote (allowRemote: true) to serve the page and public files to the network; add a token (--token-file or STREAMSUITES_DASHBOARD_TOKEN, option token) to also serve dashboard-only files and clip media to clients that send it.',
);

// Static build (`streamsuites dashboard build <dir>`, buildStaticDashboard).
export const SS_ERR_DASHBOARD_BUILD_INVALID = defineError(
  'SS_ERR_DASHBOARD_BUILD_INVALID',
  (what: string, problem: string) => `static dashboard build: the ${what} ${problem}`,
  (what: string) =>
    what === 'fallback state root'
      ? 'Give --fallback-url (fallbackStateRoot) as an absolute http(s) URL of a state root folder, the one holding shared/ and runtime/, e.g. https://example.github.io/streamsuites-state/; leave it out to have none.'
      : 'Choose an output folder of its own, e.g. ./site, outside the @streamsuites/dashboard package.',
);

export const SS_ERR_DASHBOARD_BUILD_NOT_EMPTY = defineError(
  'SS_ERR_DASHBOARD_BUILD_NOT_EMPTY',
  (dir: string, problem: string) => `static dashboard build: the output folder ${dir} ${problem}`,
  'Choose a new or empty folder, or pass --force (force: true) to replace everything in it.',
);

export const SS_ERR_DASHBOARD_BUILD_FAILED = defineError(
  'SS_ERR_DASHBOARD_BUILD_FAILED',
  (dir: string, reason: string) => `static dashboard build: cannot write ${dir}: ${reason}`,
  'Check that the output folder and its parent are writable and the disk is not full, then build again.',
);
