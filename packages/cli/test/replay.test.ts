import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chatMessage, createTempDirs, LogCapture, readTree, startTestKernel } from '@streamsuites/testing';
import chatLogPlugin from '@streamsuites/plugin-chatlog';
import exportsPlugin from '@streamsuites/plugin-exports';
import twitchPlugin, { normalizeLine } from '@streamsuites/plugin-twitch';
import { loadFixtureLines, retargetPrivmsg, startFakeTwitchChat } from '@streamsuites/plugin-twitch/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { replayChatLogs } from '../src/index.js';
import { cli, spawnCli } from './helpers.js';

const temp = createTempDirs('ss-replay-');
afterEach(() => temp.removeAll());
const tempDir = () => temp.make();

const TOKEN = 'demoTokenForTheLocalFakeServer00';
const trigger = (id: string, type: string, params: Record<string, unknown>, text: string, cooldown?: Record<string, string>) => ({
  id,
  type,
  params,
  ...(cooldown === undefined ? {} : { cooldown }),
  actions: [{ type: 'chat.reply', params: { text } }],
});

function manifest(dataDir: string, chatUrl: string) {
  const creator = (channel: string) => ({
    enable: ['twitch', 'chatlog', 'exports'],
    config: { twitch: { channel, botLogin: 'ssbot', token: '${env:TWITCH_TOKEN}' } },
    triggers: [
      trigger('hello', 'command', { command: '!hello' }, 'hello {user}!', { user: '30s' }),
      trigger('gg', 'keyword', { keywords: ['gg', 'good game'] }, 'GG {user}', { creator: '10s' }),
      trigger('number', 'regex', { pattern: '\\b(\\d{2,})\\b' }, 'you said {arg1}'),
    ],
  });
  return {
    dataDir,
    plugins: {
      twitch: { config: { chatUrl } },
      chatlog: { config: { flushIntervalMs: 200 } },
      exports: { config: { root: 'live-state', mirror: false, cadenceMs: 60_000 } },
    },
    creators: { alice: creator('alice'), bob: creator('bob') },
  };
}

/** A live session: real captured chat plus trigger traffic through the local Twitch server, logged by plugin-chatlog. */
async function recordSession(messagesPerCreator: number) {
  const dataDir = tempDir();
  const fake = await startFakeTwitchChat();
  const fixtures = await loadFixtureLines(new URL('../../../fixtures/twitch/', import.meta.url), ['privmsg']);
  // The captured chat messages (one captured PRIVMSG has no sender and is rightly ignored).
  const captured = fixtures.privmsg!.filter((line) => normalizeLine(line, { creatorId: 'x', receivedAt: 0 }).kind === 'message');
  const script = ['!hello', 'that was a good game', 'I have 42 points', 'gg everyone', '!hello again'];
  const t = await startTestKernel({
    plugins: [twitchPlugin, chatLogPlugin, exportsPlugin],
    env: { TWITCH_TOKEN: TOKEN },
    logLevel: 'warn',
    manifest: manifest(dataDir, fake.url),
  });
  try {
    await fake.until(() => ['alice', 'bob'].every((c) => fake.clients().some((x) => x.registered && x.channels.includes(c))));
    for (const channel of ['alice', 'bob']) {
      const lines: string[] = [];
      for (let i = 0; i < messagesPerCreator; i++) {
        if (i % 7 === 3) fake.say(channel, `viewer${i % 13}`, script[i % script.length]!);
        else lines.push(retargetPrivmsg(captured[i % captured.length]!, channel, fake.roomId(channel)));
        if (lines.length === 50) fake.replay(lines.splice(0));
      }
      fake.replay(lines);
    }
    await fake.until(() => t.events.of('chat.message').length >= 2 * messagesPerCreator, { timeoutMs: 20_000, message: `${2 * messagesPerCreator} messages on the bus` });
  } finally {
    await t.stop();
    await fake.close();
  }
  return { dataDir, chatlog: join(dataDir, 'chatlog'), live: t };
}

describe('streamsuites replay', () => {
  it('a recorded 2,000-event session replayed twice gives byte-identical exports', async () => {
    const { dataDir, chatlog, live } = await recordSession(1000);
    expect(live.events.of('chat.message').length).toBe(2000);
    const runs = [];
    for (const out of [join(tempDir(), 'first'), join(tempDir(), 'second')]) {
      const summary = await replayChatLogs({
        logs: [chatlog],
        manifest: manifest(dataDir, 'ws://127.0.0.1:9'), // the Twitch plugin is left out of replays: nothing connects
        plugins: [twitchPlugin, chatLogPlugin, exportsPlugin],
        env: { TWITCH_TOKEN: TOKEN },
        out,
        logDestination: new LogCapture(),
      });
      runs.push({ out, summary, files: readTree(out, 'buffer') });
    }
    const [first, second] = runs;
    // 2,000 chat messages plus each channel's ROOMSTATE on join.
    expect(live.events.of('chat.room-state').length).toBe(2);
    expect(first!.summary.events).toBe(2002);
    expect(first!.summary.perCreator).toEqual({ alice: 1001, bob: 1001 });
    expect(first!.summary.skippedLines).toBe(0);
    expect(first!.summary.triggersFired).toBeGreaterThan(10);
    expect(first!.summary.actions).toEqual({ executed: 0, dryRun: first!.summary.triggersFired, failed: 0 });
    // The live run fired the same triggers (cooldowns ran on the recorded times).
    expect(first!.summary.triggersFired).toBe(live.events.of('trigger.fired').length);

    const names = Object.keys(first!.files);
    expect(names).toContain('runtime/signals/chat_events.json');
    expect(names).toEqual(Object.keys(second!.files));
    for (const name of names) expect(second!.files[name]!.equals(first!.files[name]!), name).toBe(true);
    const snapshotFile = JSON.parse(first!.files['shared/state/runtime_snapshot.json']!.toString('utf8'));
    expect(snapshotFile.creators.map((c: { id: string; platforms: { messages: number }[] }) => [c.id, c.platforms.reduce((n, p) => n + p.messages, 0)])).toEqual([['alice', 1000], ['bob', 1000]]);
    // Nothing was written into the live data folder, and no chat log was written by the replay.
    expect(readdirSync(join(chatlog, 'alice')).length).toBe(1);
  }, 60_000);

  it('the CLI reports a corrupted line with its number, skips it, and replays the rest', async () => {
    const root = tempDir();
    const log = join(root, '2026-11-27.jsonl');
    const at = Date.UTC(2026, 10, 27, 12);
    const message = (n: number, text: string) => JSON.stringify({
      at: at + n * 1000,
      event: 'chat.message',
      data: chatMessage({ id: `m${n}`, creatorId: 'daniel', receivedAt: at + n * 1000, author: { id: `u${n}`, login: `user${n}`, displayName: `User${n}` }, text }),
    });
    writeFileSync(log, [
      JSON.stringify({ schema: 'streamsuites.chatlog', version: 1, creator: 'daniel' }),
      message(1, '!hi'),
      '{"at": 1795780800000, "event": "chat.message", "data": {"creatorId": "dan',
      message(2, 'hello'),
      message(3, '!hi'),
    ].join('\n') + '\n');
    const manifestFile = join(root, 'replay.json');
    writeFileSync(manifestFile, JSON.stringify({
      creators: { daniel: { enable: [], triggers: [trigger('hi', 'command', { command: '!hi' }, 'hi {user}')] } },
    }));
    const result = await cli(['replay', log, '--manifest', manifestFile, '--out', join(root, 'out')]);
    expect(result.stderr).toBe(`warning: ${log}:3: not valid JSON (line skipped)\n`);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('replay finished: 3 events (daniel=3)');
    expect(result.stdout).toContain('triggers fired: 2; actions: 0 executed, 2 dry-run, 0 failed');
    expect(result.stdout).toContain('lines skipped: 1');
  });

  it('--log-format json: the runtime\'s log lines are JSON objects beside the summary; an unknown format is a usage error', async () => {
    const root = tempDir();
    const log = join(root, '2026-11-27.jsonl');
    const at = Date.UTC(2026, 10, 27, 12);
    writeFileSync(log, [
      JSON.stringify({ schema: 'streamsuites.chatlog', version: 1, creator: 'daniel' }),
      JSON.stringify({ at, event: 'chat.message', data: chatMessage({ id: 'm1', creatorId: 'daniel', receivedAt: at, text: '!hi' }) }),
    ].join('\n') + '\n');
    const manifestFile = join(root, 'replay.json');
    writeFileSync(manifestFile, JSON.stringify({ creators: { daniel: { enable: [], triggers: [trigger('hi', 'command', { command: '!hi' }, 'hi {user}')] } } }));
    const run = spawnCli(['replay', log, '--manifest', manifestFile, '--out', join(root, 'out'), '--log-level', 'info', '--log-format', 'json']);
    expect(await run.exited, run.stderr()).toBe(0);
    const lines = run.stdout().split('\n').filter((line) => line !== '');
    const logLines = lines.filter((line) => line.startsWith('{'));
    expect(logLines.length).toBeGreaterThan(0);
    for (const line of logLines) expect(JSON.parse(line)).toMatchObject({ level: expect.any(Number), msg: expect.any(String) });
    expect(lines.some((line) => line.startsWith('replay finished: 1 events (daniel=1)')), run.stdout()).toBe(true);
    // pretty, asked for off a terminal (where json is the default): readable lines, no JSON.
    const pretty = spawnCli(['replay', log, '--manifest', manifestFile, '--out', join(root, 'out2'), '--log-level', 'info', '--log-format', 'pretty']);
    expect(await pretty.exited, pretty.stderr()).toBe(0);
    const started = pretty.stdout().split('\n').find((line) => line.includes('kernel started'));
    expect(started, pretty.stdout()).toMatch(/^\[[\d:.]+\] INFO.*kernel started/);
    const bad = await cli(['replay', log, '--manifest', manifestFile, '--log-format', 'xml']);
    expect([bad.code, bad.stderr.split('\n')[0]]).toEqual([2, 'error SS_ERR_CLI_USAGE: replay: --log-format must be pretty or json, got "xml"']);
  });

  it('--speed waits the recorded gaps (scaled), and an abort stops early but still writes the exports', async () => {
    const root = tempDir();
    const log = join(root, '2026-11-27.jsonl');
    const at = Date.UTC(2026, 10, 27, 12);
    const line = (n: number) => JSON.stringify({
      at: at + n * 500,
      event: 'chat.message',
      data: { id: `m${n}`, platform: 'twitch', creatorId: 'daniel', channel: 'daniel', receivedAt: at + n * 500, sentAt: 0, author: { id: 'u', login: 'u', displayName: 'U', roles: [] }, text: `hello ${n}`, isAction: false },
    });
    writeFileSync(log, `${[JSON.stringify({ schema: 'streamsuites.chatlog', version: 1, creator: 'daniel' }), ...[0, 1, 2, 3, 4].map(line)].join('\n')}\n`);
    const manifest = { plugins: { exports: {} }, creators: { daniel: { enable: ['exports'] } } };
    // 2 s recorded at 10x: at least 200 ms of real waiting, never less.
    const timed = await replayChatLogs({ logs: [log], manifest, plugins: [exportsPlugin], out: join(root, 'timed'), speed: 10, logDestination: new LogCapture() });
    expect([timed.events, timed.stopped]).toEqual([5, false]);
    expect(timed.wallMs).toBeGreaterThanOrEqual(200);

    const controller = new AbortController();
    const stopping = replayChatLogs({ logs: [log], manifest, plugins: [exportsPlugin], out: join(root, 'stopped'), speed: 1, signal: controller.signal, logDestination: new LogCapture() });
    setImmediate(() => controller.abort());
    const stopped = await stopping;
    expect(stopped.stopped).toBe(true);
    expect(stopped.events).toBeLessThan(5);
    const written = readTree(join(root, 'stopped'));
    expect(Object.keys(written)).toContain('runtime/signals/chat_events.json');
  });

  it('refuses a log of an unknown format version, a missing log, and a missing --manifest', async () => {
    const root = tempDir();
    const log = join(root, '2026-11-27.jsonl');
    writeFileSync(log, `${JSON.stringify({ schema: 'streamsuites.chatlog', version: 9, creator: 'daniel' })}\n`);
    writeFileSync(join(root, 'm.json'), JSON.stringify({ creators: { daniel: { enable: [] } } }));
    const wrongVersion = await cli(['replay', log, '--manifest', join(root, 'm.json')]);
    expect([wrongVersion.code, wrongVersion.stderr.split('\n')[0]]).toEqual([1, `error SS_ERR_CHATLOG_VERSION: ${log} is not a chat log this version can read (version 9, this reader knows version 1)`]);
    const missing = await cli(['replay', join(root, 'nope'), '--manifest', join(root, 'm.json')]);
    expect([missing.code, missing.stderr]).toEqual([1, expect.stringContaining('error SS_ERR_CHATLOG_NOT_FOUND')]);
    const usage = await cli(['replay', log]);
    expect([usage.code, usage.stderr]).toEqual([2, expect.stringContaining('--manifest <file> is required')]);
    const speed = await cli(['replay', log, '--manifest', 'm.json', '--speed', 'fast']);
    expect([speed.code, speed.stderr]).toEqual([2, expect.stringContaining('--speed must be a positive number')]);
  });
});
