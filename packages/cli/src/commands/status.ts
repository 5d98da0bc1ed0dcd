import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { withDefaults } from '@streamsuites/defaults';
import { inspectManifest } from '@streamsuites/kernel';
import type { HealthReport } from '@streamsuites/ops';
import { parseCommandArgs } from '../args.js';
import { SS_ERR_CLI_STATUS_UNREACHABLE, SS_ERR_CLI_USAGE } from '../errors.js';
import type { CliIO } from '../io.js';
import { configDirHelp, manifestSource } from './config-dir.js';
import { opsFile, readOpsFile } from './ops-endpoint.js';

export const statusHelp = `Usage: streamsuites status <manifest> [--json]
       streamsuites status --config-dir <dir> | --data-dir <dir> | --url <url> [--json]

Reads the health of a running \`streamsuites run\` (its /healthz endpoint):
overall status, plugins, creators and their platform connections, and what
is wrong when something is. The address comes from --url, else from
<dataDir>/runtime/ops.json, which the running instance writes (dataDir from
the manifest or configuration folder, or --data-dir as given to run).

Options:
${configDirHelp}
  --data-dir <dir>     the data folder of the running instance
  --url <url>          the ops address it logged (http://127.0.0.1:9477)
  --json               print the health report as JSON
  --timeout <seconds>  how long to wait for an answer (default 5)
  -h, --help           show this help

Exit status: 0 healthy (status ok), 1 starting, degraded, failed or not
reachable, 2 usage error.
`;

export async function statusCommand(argv: string[], io: CliIO): Promise<number> {
  const args = parseCommandArgs(
    'status',
    argv,
    { 'data-dir': { type: 'string' }, 'config-dir': { type: 'string' }, url: { type: 'string' }, json: { type: 'boolean' }, timeout: { type: 'string' } },
    { min: 0, max: 1, names: '<manifest>' },
  );
  if (args.help) {
    io.stdout(statusHelp);
    return 0;
  }
  const timeoutText = (args.values.timeout as string | undefined) ?? '5';
  const timeoutSec = Number(timeoutText);
  if (timeoutText.trim() === '' || !Number.isFinite(timeoutSec) || timeoutSec <= 0) throw new SS_ERR_CLI_USAGE(`status: --timeout must be a positive number of seconds, got "${timeoutText}"`);
  const url = await opsUrl(io, args.positionals[0], args.values['config-dir'] as string | undefined, args.values['data-dir'] as string | undefined, args.values.url as string | undefined);
  const report = await fetchHealth(url, timeoutSec * 1000);
  io.stdout(args.values.json === true ? `${JSON.stringify(report, null, 2)}\n` : describe(url, report));
  return report.status === 'ok' ? 0 : 1;
}

/** Where to ask: --url, else the ops.json of the data folder (from --data-dir, the manifest or the configuration folder). */
async function opsUrl(io: CliIO, manifest: string | undefined, configDir: string | undefined, dataDir: string | undefined, url: string | undefined): Promise<string> {
  const given = [manifest, configDir, dataDir, url].filter((v) => v !== undefined).length;
  if (given === 0) throw new SS_ERR_CLI_USAGE('status: give the <manifest> of the running instance, --config-dir <dir>, --data-dir <dir> or --url <url>');
  if (given > 1) throw new SS_ERR_CLI_USAGE('status: give one of <manifest>, --config-dir, --data-dir and --url');
  if (url !== undefined) {
    if (!/^https?:\/\/[^/]+/.test(url)) throw new SS_ERR_CLI_USAGE(`status: --url must be an http:// address, got "${url}"`);
    return url.replace(/\/+$/, '');
  }
  const file = opsFile(dataDir !== undefined ? resolve(io.cwd, dataDir) : await manifestDataDir(io, manifest, configDir));
  let record;
  try {
    record = await readOpsFile(file);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new SS_ERR_CLI_STATUS_UNREACHABLE(file, missing ? 'no ops.json there (not running, running with --ops-port off, or another data folder)' : (error as Error).message, {
      cause: error,
      details: { file },
    });
  }
  if (!processAlive(record.pid)) throw new SS_ERR_CLI_STATUS_UNREACHABLE(record.url, `the process that wrote ${file} (pid ${record.pid}) is gone`, { details: { file, pid: record.pid } });
  return record.url;
}

/**
 * The dataDir the running instance uses: the manifest (or configuration
 * folder) resolved as `run` resolves it — includes, ${env:} and the folder's
 * system.json. When that fails (a secret not set in this shell), a manifest
 * file's own "dataDir" is read as plain JSON, relative to its folder.
 */
async function manifestDataDir(io: CliIO, manifest: string | undefined, configDir: string | undefined): Promise<string> {
  const source = manifestSource('status', io, manifest, configDir, { quiet: true });
  const inspection = await inspectManifest(source.manifest, withDefaults({ env: io.env, readers: source.readers }));
  if (inspection.manifest !== undefined) return inspection.manifest.dataDir;
  if (configDir !== undefined) {
    const first = inspection.issues[0];
    throw new SS_ERR_CLI_USAGE(`status: cannot resolve the dataDir of ${source.manifest}${first === undefined ? '' : ` (${first.message})`}; pass --data-dir or --url instead`);
  }
  return plainDataDir(source.manifest);
}

function plainDataDir(file: string): string {
  let parsed: { dataDir?: unknown };
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as { dataDir?: unknown };
  } catch (error) {
    throw new SS_ERR_CLI_USAGE(`status: cannot read the dataDir of ${file} (${(error as Error).message}); pass --data-dir or --url instead`);
  }
  if (typeof parsed.dataDir === 'string' && parsed.dataDir.includes('${env:')) {
    throw new SS_ERR_CLI_USAGE(`status: the dataDir of ${file} ("${parsed.dataDir}") names a variable this shell does not set; set it (or put it in .env), or pass --data-dir or --url instead`);
  }
  return resolve(dirname(file), typeof parsed.dataDir === 'string' ? parsed.dataDir : './data');
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, owned by another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function fetchHealth(url: string, timeoutMs: number): Promise<HealthReport> {
  let res: Response;
  try {
    res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
    throw new SS_ERR_CLI_STATUS_UNREACHABLE(url, cause === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : `${cause}`, { cause: error, details: { url } });
  }
  const text = await res.text();
  try {
    const report = JSON.parse(text) as HealthReport;
    if (typeof report.status !== 'string' || !Array.isArray(report.plugins)) throw new Error('not a health report');
    return report;
  } catch {
    throw new SS_ERR_CLI_STATUS_UNREACHABLE(url, `/healthz answered ${res.status} with something other than a StreamSuites health report`, { details: { url, status: res.status } });
  }
}

function describe(url: string, r: HealthReport): string {
  const lines = [`${url}: ${r.status} (kernel ${r.kernel}, up ${uptime(r.uptimeSec)})`];
  const byStatus = new Map<string, string[]>();
  for (const p of r.plugins) byStatus.set(p.status, [...(byStatus.get(p.status) ?? []), p.id]);
  lines.push(`plugins: ${[...byStatus].map(([status, ids]) => `${ids.length} ${status}${status === 'running' ? '' : ` (${ids.join(', ')})`}`).join(', ')}`);
  for (const c of r.creators) {
    const plugins = Object.entries(c.plugins).map(([id, s]) => (s === 'running' ? id : `${id}=${s}`));
    const connections = c.connections.map((k) => `${k.platform} ${k.state}${k.links === undefined ? '' : ` ${k.links.up}/${k.links.total}`}`);
    lines.push(`  ${c.id}: ${plugins.join(' ') || 'no plugins'}${connections.length === 0 ? '' : `; ${connections.join(', ')}`}`);
  }
  for (const p of r.problems) lines.push(`  ! ${p}`);
  return `${lines.join('\n')}\n`;
}

function uptime(sec: number): string {
  const h = Math.floor(sec / 3600);
  const m = Math.floor((sec % 3600) / 60);
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m${String(sec % 60).padStart(2, '0')}s` : `${sec}s`;
}
