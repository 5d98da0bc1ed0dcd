import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kernel } from '@streamsuites/kernel';
import { DEFAULT_OPS_PORT, SS_ERR_OPS_LISTEN, startOpsServer, type OpsServer } from '@streamsuites/ops';
import { writeFileAtomic } from '@streamsuites/plugin-exports';
import { SS_ERR_CLI_USAGE } from '../errors.js';

/** The help lines of the ops flags of `run`. */
export const opsHelp = `  --ops-port <port|off> serve /healthz and /metrics on this loopback port
                        (default ${DEFAULT_OPS_PORT}; 0 = any free port; off = none). A busy
                        default port is a warning, a busy port you chose an error
  --ops-host <host>     listen address (default 127.0.0.1; a non-loopback
                        address needs --ops-allow-remote: no authentication)
  --ops-allow-remote    allow a non-loopback --ops-host`;

export interface OpsSettings {
  /** undefined: off. */
  port: number | undefined;
  /** The port was given on the command line (a busy one is then an error, not a warning). */
  explicit: boolean;
  host: string;
  allowRemote: boolean;
}

export function parseOpsSettings(values: { 'ops-port'?: unknown; 'ops-host'?: unknown; 'ops-allow-remote'?: unknown }): OpsSettings {
  const text = values['ops-port'] as string | undefined;
  const host = (values['ops-host'] as string | undefined) ?? '127.0.0.1';
  if (host === '') throw new SS_ERR_CLI_USAGE('run: --ops-host must not be empty');
  const allowRemote = values['ops-allow-remote'] === true;
  if (text === 'off') return { port: undefined, explicit: true, host, allowRemote };
  if (text === undefined) return { port: DEFAULT_OPS_PORT, explicit: false, host, allowRemote };
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new SS_ERR_CLI_USAGE(`run: --ops-port must be a port number (0-65535, 0 = any free port) or off, got "${text}"`);
  return { port, explicit: true, host, allowRemote };
}

/** Where a running instance leaves the address of its ops endpoints, for `streamsuites status`. */
export const opsFile = (dataDir: string): string => join(dataDir, 'runtime', 'ops.json');

export interface OpsFileContent {
  url: string;
  pid: number;
  startedAt: string;
}

/**
 * Starts the ops server for `kernel` (before kernel.start(), so health says
 * "starting" while booting) and records its address in <dataDir>/runtime/ops.json.
 * Returns undefined when off, or when the default port was busy (logged as
 * SS_ERR_OPS_LISTEN at warn: the runtime matters more than its metrics).
 */
export async function startOpsEndpoint(kernel: Kernel, settings: OpsSettings): Promise<{ server: OpsServer; close(): Promise<void> } | undefined> {
  if (settings.port === undefined) return undefined;
  let server: OpsServer;
  try {
    server = await startOpsServer({ kernel, host: settings.host, port: settings.port, allowRemote: settings.allowRemote });
  } catch (error) {
    if (!SS_ERR_OPS_LISTEN.is(error) || settings.explicit) throw error;
    kernel.logger.warn({ code: error.code, hint: error.hint, port: settings.port }, `${error.message}; running without /healthz and /metrics`);
    return undefined;
  }
  const file = opsFile(kernel.manifest.dataDir);
  const content: OpsFileContent = { url: server.url, pid: process.pid, startedAt: new Date().toISOString() };
  await writeFileAtomic(file, `${JSON.stringify(content, null, 2)}\n`);
  kernel.logger.info({ url: server.url, file }, `ops endpoints: ${server.url}/healthz ${server.url}/metrics`);
  return {
    server,
    async close() {
      await server.close();
      // Only our own record: a second instance on the same data folder may have written its own since.
      const current = await readOpsFile(file).catch(() => undefined);
      if (current?.pid === process.pid) await rm(file, { force: true });
    },
  };
}

export async function readOpsFile(file: string): Promise<OpsFileContent> {
  const parsed = JSON.parse(await readFile(file, 'utf8')) as Partial<OpsFileContent>;
  if (typeof parsed.url !== 'string' || typeof parsed.pid !== 'number') throw new Error(`${file} does not hold { url, pid }`);
  return parsed as OpsFileContent;
}
