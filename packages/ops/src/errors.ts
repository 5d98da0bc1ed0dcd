import { defineError } from '@streamsuites/kernel';

/* Coded errors of @streamsuites/ops; every code is in the README "Errors" table. */

export const SS_ERR_OPS_LISTEN = defineError(
  'SS_ERR_OPS_LISTEN',
  (address: string, reason: string) => `the operations server could not listen on ${address}: ${reason}`,
  'Another process holds the port (often a second instance): stop it, pick another port (`streamsuites run --ops-port <n>`, 0 for any free port), or turn the endpoints off (`--ops-port off`).',
);
export const SS_ERR_OPS_HOST_NOT_LOOPBACK = defineError(
  'SS_ERR_OPS_HOST_NOT_LOOPBACK',
  (host: string) => `the operations server would listen on "${host}", which is not a loopback address`,
  '/healthz and /metrics have no authentication: keep them on 127.0.0.1 (or ::1) and let Prometheus or a reverse proxy on the same host reach them; pass allowRemote: true (`--ops-allow-remote`) only behind a firewall you control.',
);
