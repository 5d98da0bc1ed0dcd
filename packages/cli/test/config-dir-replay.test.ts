import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chatMessage, createTempDirs, readTree } from '@streamsuites/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { cli } from './helpers.js';

const DEMO_DIR = fileURLToPath(new URL('../../../examples/demo/', import.meta.url));
const DEMO_MANIFEST = join(DEMO_DIR, 'streamsuites.json');
const DEMO_CONFIG = fileURLToPath(new URL('../../config/samples/demo/shared/config/', import.meta.url));

const temp = createTempDirs('ss-config-replay-');
const cleanups: (() => void)[] = [];
afterEach(() => {
  temp.removeAll();
  cleanups.splice(0).forEach((f) => f());
});

/**
 * The demo sample folder as `<demo>/.tmp-…/shared/config`: its plugin
 * packages (the demo's local servers and heartbeat, every official plugin)
 * resolve from the demo's folder, as they would for an operator's checkout.
 * `.tmp-*` is git-ignored; removed after the test.
 */
function demoFolderCopy(): { dir: string; root: string } {
  const root = mkdtempSync(join(DEMO_DIR, '.tmp-config-'));
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, 'shared', 'config');
  cpSync(DEMO_CONFIG, dir, { recursive: true });
  return { dir, root };
}

/** One chat log per demo creator: greetings, gg, a poll with votes, moods, points, clips. */
function writeChatLogs(): string {
  const logs = temp.make();
  const start = Date.UTC(2026, 11, 5, 18);
  let second = 0;
  for (const creator of ['daniel', 'maya', 'sol']) {
    const dir = join(logs, creator);
    mkdirSync(dir, { recursive: true });
    const lines = [JSON.stringify({ schema: 'streamsuites.chatlog', version: 1, creator })];
    const say = (login: string, text: string, roles: string[] = [], platform = 'twitch') => {
      second += 3;
      const at = start + second * 1000;
      lines.push(JSON.stringify({ at, event: 'chat.message', data: chatMessage({ id: `${creator}-${second}`, creatorId: creator, platform, receivedAt: at, text, author: { id: `u-${login}`, login, displayName: login, roles } as never }) }));
    };
    say('ana', '!hello');
    say('ben', '!hi there');
    say('ana', 'that was a good game');
    say('mod', '!poll "best map" dust mirage inferno', ['moderator']);
    for (const [i, viewer] of ['ana', 'ben', 'cy', 'dee', 'eve'].entries()) say(viewer, `!vote ${(i % 3) + 1}`);
    say('ben', '!mood Hype');
    say('cy', '!mood Chill');
    say('ana', '!point');
    say('ana', '!point');
    say('ben', 'gg');
    say('mod', '!endpoll', ['moderator']);
    say('eve', '!clip 20 what a play');
    say('eve', '!clip 20 on rumble', [], 'rumble');
    writeFileSync(join(dir, '2026-12-05.jsonl'), `${lines.join('\n')}\n`);
  }
  return logs;
}

describe('a configuration folder behaves as the equivalent manifest', () => {
  it('the demo sample folder, the demo manifest and the manifest imported from the folder replay one chat log to the same exports', async () => {
    const logs = writeChatLogs();
    const { dir, root } = demoFolderCopy();
    const imported = join(root, 'streamsuites.json');
    const importRun = await cli(['import', dir, '--out', imported]);
    expect(importRun.stderr).toBe('');
    expect(importRun.code).toBe(0);
    expect(importRun.stdout).toContain('(3 creator(s), 13 plugin(s))');

    const runs: Record<string, Record<string, Buffer>> = {};
    const sources: Record<string, string[]> = {
      manifest: ['--manifest', DEMO_MANIFEST],
      folder: ['--config-dir', dir],
      imported: ['--manifest', imported],
    };
    for (const [name, source] of Object.entries(sources)) {
      const out = join(temp.make(), 'exports');
      const result = await cli(['replay', logs, ...source, '--out', out, '--data-dir', temp.make()]);
      expect(result.stderr, name).toBe('');
      expect(result.code, name).toBe(0);
      expect(result.stdout, name).toMatch(/replay finished: 51 events \(daniel=17 maya=17 sol=17\)/);
      expect(result.stdout, name).toContain('0 failed');
      runs[name] = readTree(out, 'buffer');
    }
    const files = Object.keys(runs.manifest!);
    expect(files).toContain('runtime/exports/polls.json');
    // The chat did something: votes counted, moods tallied, points scored.
    const polls = JSON.parse(runs.manifest!['runtime/exports/polls.json']!.toString('utf8'));
    expect(JSON.stringify(polls)).toContain('best map');
    expect(runs.manifest!['runtime/exports/scoreboards.json']!.toString('utf8')).toContain('ana');
    for (const name of ['folder', 'imported']) {
      expect(Object.keys(runs[name]!), name).toEqual(files);
      for (const file of files) expect(runs[name]![file]!.equals(runs.manifest![file]!), `${name}: ${file}`).toBe(true);
    }
  }, 120_000);

  it('a changed folder changes the replay (the comparison can fail)', async () => {
    const logs = writeChatLogs();
    const { dir } = demoFolderCopy();
    const triggers = join(dir, 'chat_triggers.json');
    writeFileSync(triggers, readFileSync(triggers, 'utf8').replaceAll('"command": "!point"', '"command": "!points"'));
    const outs = [];
    for (const source of [['--manifest', DEMO_MANIFEST], ['--config-dir', dir]]) {
      const out = join(temp.make(), 'exports');
      expect((await cli(['replay', logs, ...source, '--out', out, '--data-dir', temp.make()])).code).toBe(0);
      outs.push(readTree(out)['runtime/exports/scoreboards.json']);
    }
    expect(outs[0]).toContain('ana');
    expect(outs[1]).not.toEqual(outs[0]);
  }, 120_000);
});
