import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startOpsServer } from '@streamsuites/ops';
import { createTempDirs, startTestKernel } from '@streamsuites/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, linkWorkspacePackages } from './helpers.js';

const temp = createTempDirs('ss-cli-status-');
afterEach(() => temp.removeAll());
const MINIMAL = fileURLToPath(new URL('../../config/samples/minimal/shared/config/', import.meta.url));

/** A running instance's endpoint (a real kernel and ops server) recorded in `<dataDir>/runtime/ops.json`, as `run` records it. */
async function runningInstance(dataDir: string) {
  const t = await startTestKernel({ manifest: { dataDir: temp.make(), creators: { daniel: { enable: [] } } } });
  const server = await startOpsServer({ kernel: t.kernel, port: 0 });
  mkdirSync(join(dataDir, 'runtime'), { recursive: true });
  writeFileSync(join(dataDir, 'runtime', 'ops.json'), JSON.stringify({ url: server.url, pid: process.pid, startedAt: new Date().toISOString() }));
  return { url: server.url, async [Symbol.asyncDispose]() { await server.close(); await t.stop(); } };
}

describe('streamsuites status finds the data folder as run does', () => {
  it('--config-dir: the folder\'s system.json data_dir', async () => {
    const root = temp.make();
    const config = join(root, 'shared', 'config');
    cpSync(MINIMAL, config, { recursive: true });
    linkWorkspacePackages(root);
    const env = { TWITCH_OAUTH_TOKEN_DANIEL: 'oauth:abcdefghijklmnopqrstuvwx' };
    const before = await cli(['status', '--config-dir', config], env);
    expect(before.code, before.stderr).toBe(1);
    expect(before.stderr).toContain(`error SS_ERR_CLI_STATUS_UNREACHABLE: no running instance answered at ${join(EXPECTED_DATA(root), 'runtime', 'ops.json')}`);
    await using instance = await runningInstance(EXPECTED_DATA(root));
    const after = await cli(['status', '--config-dir', config], env);
    expect(after.code, after.stderr).toBe(0);
    expect(after.stdout).toContain(instance.url);
  });

  it('a manifest whose dataDir is ${env:NAME}: resolved from the environment (or .env); unset, a usage error that says so', async () => {
    const root = temp.make();
    const dataDir = join(root, 'somewhere', 'else');
    const manifest = join(root, 'streamsuites.json');
    writeFileSync(manifest, JSON.stringify({ dataDir: '${env:SS_DATA}', creators: { daniel: { enable: [] } } }));
    await using instance = await runningInstance(dataDir);
    const found = await cli(['status', manifest, '--json'], { SS_DATA: dataDir });
    expect(found.code, found.stderr).toBe(0);
    expect(JSON.parse(found.stdout)).toMatchObject({ status: 'ok', ready: true });
    writeFileSync(join(root, '.env'), `SS_DATA=${dataDir}\n`);
    const fromFile = await cli(['status', manifest, '--env-file', join(root, '.env')]);
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(fromFile.stdout).toContain(instance.url);
    const unset = await cli(['status', manifest]);
    expect(unset.code).toBe(2);
    expect(unset.stderr).toContain('names a variable this shell does not set');
  });
});

// The minimal sample says data_dir "./data": relative to the folder holding shared/.
const EXPECTED_DATA = (root: string) => join(root, 'data');
