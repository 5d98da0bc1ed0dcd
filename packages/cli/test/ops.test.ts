import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeTwitchChat } from '@streamsuites/plugin-twitch/testing';
import { DEFAULT_OPS_PORT } from '@streamsuites/ops';
import { createTempDirs, Waiters } from '@streamsuites/testing';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterEach, describe, expect, it } from 'vitest';
import { cli, spawnCli } from './helpers.js';

const temp = createTempDirs('ss-cli-ops-');
// The manifest sits under packages/cli so that @streamsuites/plugin-twitch resolves from its folder, as in a host's project.
const manifestDirs: string[] = [];
afterEach(() => {
  temp.removeAll();
  for (const dir of manifestDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const TOKEN = 'cliOpsTokenForTheLocalFakeServer';
const waiters = new Waiters('cli ops');
/** Polls `predicate` every 10 ms until it holds, failing after `timeoutMs`. */
const until = (predicate: () => boolean, message: string, timeoutMs = 15_000) => waiters.until(predicate, { timeoutMs, message });

function writeManifest(chatUrl: string, dataDir: string): string {
  const dir = mkdtempSync(join(fileURLToPath(new URL('.', import.meta.url)), '.ops-manifest-'));
  manifestDirs.push(dir);
  const file = join(dir, 'streamsuites.json');
  writeFileSync(file, JSON.stringify({
    dataDir,
    plugins: { twitch: { package: '@streamsuites/plugin-twitch', config: { chatUrl } } },
    creators: {
      alice: {
        enable: ['twitch'],
        config: { twitch: { channel: 'alice', botLogin: 'ssbot', token: '${env:TWITCH_TOKEN}' } },
        triggers: [{ id: 'hello', type: 'command', params: { command: '!hello' }, actions: [{ type: 'chat.reply', params: { text: 'hi {user}' } }] }],
      },
    },
  }));
  return file;
}

describe('streamsuites run --ops-port, streamsuites status', () => {
  it('serves /healthz and /metrics on a free port, status reads it, JSON log lines, ops.json removed at stop', async () => {
    await using fake = await startFakeTwitchChat();
    const dataDir = temp.make();
    const manifest = writeManifest(fake.url, dataDir);
    const opsJson = join(dataDir, 'runtime', 'ops.json');
    const run = spawnCli(['run', manifest, '--ops-port', '0', '--log-format', 'json', '--log-level', 'info'], { TWITCH_TOKEN: TOKEN });
    try {
      await until(() => existsSync(opsJson) || run.child.exitCode !== null, 'ops.json written');
      const { url, pid } = JSON.parse(readFileSync(opsJson, 'utf8')) as { url: string; pid: number };
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(url).not.toBe(`http://127.0.0.1:${DEFAULT_OPS_PORT}`);
      expect(pid).toBe(run.child.pid);
      await fake.until(() => fake.clients().some((c) => c.registered && c.channels.includes('alice')), { timeoutMs: 15_000 });

      // status: exit 0 once the runtime is up and connected (it may still be starting when ops.json appears).
      let status = await cli(['status', manifest]);
      for (const deadline = Date.now() + 15_000; status.code !== 0 && Date.now() < deadline; ) {
        status = await cli(['status', manifest]);
      }
      expect(status.stderr).toBe('');
      expect(status.code).toBe(0);
      expect(status.stdout).toMatch(new RegExp(`^${url}: ok \\(kernel running, up \\d+s\\)\n`));
      expect(status.stdout).toMatch(/^  alice: twitch; twitch connected( \d\/\d)?$/m);
      const json = await cli(['status', '--url', url, '--json']);
      expect(json.code).toBe(0);
      expect(JSON.parse(json.stdout)).toMatchObject({ status: 'ok', ready: true, creators: [{ id: 'alice', plugins: { twitch: 'running' } }] });

      fake.say('alice', 'viewer1', 'first');
      fake.say('alice', 'viewer2', '!hello');
      fake.say('alice', 'viewer3', 'third');
      await fake.until(() => fake.sent('alice').length === 1, { message: 'the reply' });
      const families = parsePrometheusTextFormat(await (await fetch(`${url}/metrics`)).text());
      const value = (name: string, labels: Record<string, string>) =>
        families.find((f) => f.name === name)!.metrics.filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v)).reduce((n, m) => n + Number(m.value), 0);
      expect(value('streamsuites_chat_messages_total', { creator: 'alice', platform: 'twitch' })).toBe(3);
      expect(value('streamsuites_actions_total', { creator: 'alice', platform: 'twitch', outcome: 'executed' })).toBe(fake.sent('alice').length);

      run.child.kill('SIGTERM');
      expect(await run.exited, run.stderr()).toBe(0);
      // --log-format json: every stdout line is one JSON object; the ops address is among them.
      const lines = run.stdout().split('\n').filter((l) => l !== '');
      const records = lines.map((l) => JSON.parse(l) as { msg: string; url?: string; level: number });
      expect(records.find((r) => r.msg.startsWith('ops endpoints:'))).toMatchObject({ url, level: 30 });
      expect(run.stdout()).not.toContain(TOKEN);
      expect(existsSync(opsJson)).toBe(false);
    } finally {
      if (run.child.exitCode === null) run.child.kill('SIGKILL');
    }
    const after = await cli(['status', manifest]);
    expect(after.code).toBe(1);
    expect(after.stderr).toContain('error SS_ERR_CLI_STATUS_UNREACHABLE: no running instance answered at');
    expect(after.stderr).toContain('hint: Start the runtime');
  }, 60_000);

  it('a busy default port is a warning and the runtime runs; a busy port asked for is an error (exit 1)', async () => {
    const holder = createServer();
    // Held by this test for sure: another run (a parallel test of the default port) may hold it for a moment, so retry until ours.
    let held = false;
    const tryHold = () => {
      holder.once('error', () => setTimeout(tryHold, 20)); // poll, not a busy loop
      holder.listen(DEFAULT_OPS_PORT, '127.0.0.1', () => {
        held = true;
      });
    };
    tryHold();
    await until(() => held, `port ${DEFAULT_OPS_PORT} held by the test`);
    try {
      const dataDir = temp.make();
      const run = spawnCli(['run', 'valid.json', '--duration', '0.3', '--data-dir', dataDir, '--log-format', 'json'], { HELLO_TOKEN: 'oauth:abc123456' });
      expect(await run.exited, run.stderr()).toBe(0);
      // (the fixture plugin prints plain hello-* lines between the log lines)
      const warning = run.stdout().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)).find((r) => r.code === 'SS_ERR_OPS_LISTEN');
      expect(warning).toMatchObject({ level: 40, port: DEFAULT_OPS_PORT });
      expect(warning.msg).toContain('running without /healthz and /metrics');
      expect(run.stdout()).toContain('hello-stopped:daniel');

      const explicit = spawnCli(['run', 'valid.json', '--duration', '0.3', '--data-dir', dataDir, '--ops-port', String(DEFAULT_OPS_PORT)], { HELLO_TOKEN: 'oauth:abc123456' });
      expect(await explicit.exited).toBe(1);
      expect(explicit.stderr()).toContain(`error SS_ERR_OPS_LISTEN: the operations server could not listen on 127.0.0.1:${DEFAULT_OPS_PORT}: the port is in use`);
      expect(explicit.stdout()).not.toContain('hello-started');
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  }, 30_000);

  it('--ops-port off serves nothing and writes no ops.json; bad flags are usage errors', async () => {
    const dataDir = temp.make();
    const run = spawnCli(['run', 'valid.json', '--duration', '0.3', '--data-dir', dataDir, '--ops-port', 'off', '--log-format', 'pretty'], { HELLO_TOKEN: 'oauth:abc123456' });
    expect(await run.exited, run.stderr()).toBe(0);
    expect(run.stdout()).not.toContain('ops endpoints');
    expect(run.stdout()).toContain('hello-stopped:daniel');
    // pretty lines, not JSON (and no colour codes: stdout is a pipe)
    expect(run.stdout()).not.toMatch(/^\{"level"/m);
    expect(run.stdout()).not.toContain('\u001b[');
    expect(existsSync(join(dataDir, 'runtime', 'ops.json'))).toBe(false);

    for (const [flags, message] of [
      [['--ops-port', 'soon'], '--ops-port must be a port number'],
      [['--ops-port', '70000'], '--ops-port must be a port number'],
      [['--log-format', 'xml'], '--log-format must be pretty or json, got "xml"'],
    ] as const) {
      const result = await cli(['run', 'valid.json', ...flags]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(message);
    }
    const discord = await cli(['discord', 'valid.json', '--log-format', 'yaml']);
    expect(discord.code).toBe(2);
    expect(discord.stderr).toContain('discord: --log-format must be pretty or json, got "yaml"');
    const none = await cli(['status']);
    expect(none.code).toBe(2);
    const missing = await cli(['status', '--data-dir', dataDir]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no ops.json there');
    // A runtime killed hard leaves its ops.json: status names the dead process instead of timing out.
    const gone = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => gone.once('exit', resolve));
    mkdirSync(join(dataDir, 'runtime'), { recursive: true });
    writeFileSync(join(dataDir, 'runtime', 'ops.json'), JSON.stringify({ url: 'http://127.0.0.1:9', pid: gone.pid, startedAt: new Date().toISOString() }));
    const stale = await cli(['status', '--data-dir', dataDir]);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain(`error SS_ERR_CLI_STATUS_UNREACHABLE: no running instance answered at http://127.0.0.1:9: the process that wrote ${join(dataDir, 'runtime', 'ops.json')} (pid ${gone.pid}) is gone`);
    const remote = await cli(['run', 'valid.json', '--ops-host', '0.0.0.0', '--data-dir', dataDir, '--duration', '0.1'], { HELLO_TOKEN: 'oauth:abc123456' });
    expect(remote.code).toBe(1);
    expect(remote.stderr).toContain('error SS_ERR_OPS_HOST_NOT_LOOPBACK');
  }, 30_000);
});
