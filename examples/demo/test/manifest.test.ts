// The demo's manifest is a real one: `npx streamsuites validate|run
// examples/demo/streamsuites.json` from the repository root, exactly as the
// README shows, loads every plugin by package name and runs against the local
// Twitch chat server and EventSub, YouTube Data API, Discord and Rumble Live
// Stream API that its local-platforms plugin starts.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MANIFEST = 'examples/demo/streamsuites.json';

function npx(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.platform === 'win32' ? 'npx.cmd' : 'npx', ['--no-install', 'streamsuites', ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: process.platform === 'win32',
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => void (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** JSON log lines of the runtime. */
const logLines = (stdout: string) =>
  stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

let stateDir: string;
beforeAll(async () => {
  // The CLI loads plugins by package name, i.e. from their dist/ (npm test builds first).
  for (const built of ['packages/cli/dist/bin.js', 'examples/demo/dist/local-platforms.js', 'packages/plugin-twitch/dist/index.js', 'packages/plugin-rumble/dist/testing.js']) {
    if (!existsSync(join(ROOT, built))) throw new Error(`${built} is missing: run \`npm test\` (it builds first) or \`npm run build\``);
  }
  stateDir = await mkdtemp(join(tmpdir(), 'ss-demo-cli-'));
});
afterAll(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

describe('the demo manifest with the streamsuites CLI, from the repository root', () => {
  it('validate accepts it as is', async () => {
    const result = await npx(['validate', MANIFEST]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/is valid \(3 creator\(s\), 13 plugin\(s\), \d+ trigger\(s\)\)/);
  });

  it('run starts it against the local servers: every creator and platform chats, then a clean stop', async () => {
    const dataDir = join(stateDir, 'data');
    const result = await npx(['run', MANIFEST, '--data-dir', dataDir, '--duration', '6']);
    expect(result.code, result.stderr + result.stdout.slice(-3000)).toBe(0);
    const logs = logLines(result.stdout);
    expect(logs.filter((l) => l.level !== undefined && Number(l.level) >= 50), 'error/fatal log lines').toEqual([]);
    const listening = logs.find((l) => l.msg === 'local Twitch chat server and EventSub, YouTube Data API, Discord, Rumble Live Stream API, X API and Kick listening');
    expect(listening).toMatchObject({
      twitch: 'ws://127.0.0.1:47123',
      twitchEventSub: 'ws://127.0.0.1:47127/ws',
      youtube: 'http://127.0.0.1:47124/',
      discord: 'http://127.0.0.1:47125/api',
      rumble: 'http://127.0.0.1:47126',
      x: 'http://127.0.0.1:47128',
      kick: 'http://127.0.0.1:47129',
    });
    // The Discord control plane logged in to the local Discord and registered its commands.
    expect(logs.some((l) => l.plugin === 'discord' && l.outcome === 'updated')).toBe(true);
    const started = logs.filter((l) => l.msg === 'creator started').map((l) => l.creator);
    expect(started.sort()).toEqual(['daniel', 'maya', 'sol']);
    expect(logs.some((l) => l.msg === 'YouTube chat found' && l.creator === 'maya')).toBe(true);

    // The chat the platforms delivered, as the chat log recorded it (per creator and platform).
    const seen = new Set<string>();
    for (const creator of ['daniel', 'maya', 'sol']) {
      for (const file of await readdir(join(dataDir, 'chatlog', creator))) {
        for (const line of (await readFile(join(dataDir, 'chatlog', creator, file), 'utf8')).split('\n')) {
          const platform = /"platform":"(\w+)"/.exec(line)?.[1];
          if (platform !== undefined && line.includes('"chat.message"')) seen.add(`${creator}/${platform}`);
        }
      }
    }
    // sol's Rumble chat came through the plugin's own Rumble API and stream (the stream started for sol alone).
    // daniel's Kick chat came as signed webhooks to the kick plugin's endpoint (port 47130), verified before it was logged.
    expect([...seen].sort()).toEqual(['daniel/kick', 'daniel/twitch', 'maya/twitch', 'maya/youtube', 'sol/rumble', 'sol/twitch']);
    expect(logs.some((l) => l.plugin === 'clips' && l.creator === 'sol' && l.msg === 'clip capture input resolved')).toBe(true);
    // Snapshots follow the data folder (the exports root is relative to it).
    expect(existsSync(join(stateDir, 'demo-state', 'runtime', 'exports', 'polls.json'))).toBe(true);
  }, 90_000);
});
