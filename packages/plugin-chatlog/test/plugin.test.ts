import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ManualClock } from '@streamsuites/kernel';
import { startTestKernel } from '@streamsuites/testing';
import { describe, expect, it } from 'vitest';
import chatLogPlugin, { hashId } from '../src/index.js';
import { message, tempDir } from './helpers.js';

const NOV27 = Date.UTC(2026, 10, 27, 23, 59, 0);
const SALT = 'a-long-random-salt-for-tests-only';

function manifest(dataDir: string, creatorConfig: Record<string, unknown> = {}, pluginConfig: Record<string, unknown> = {}) {
  return {
    dataDir,
    plugins: { chatlog: { config: { hashSalt: '${env:SALT}', ...pluginConfig } } },
    creators: {
      alice: { enable: ['chatlog'], config: { chatlog: creatorConfig } },
      bob: { enable: [] },
    },
  };
}

const lines = (file: string) => readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l) as Record<string, any>);

describe('chat logging', () => {
  it('writes one JSONL file per creator per UTC day, only for creators that opted in, with secrets masked', async () => {
    const dataDir = tempDir();
    const clock = new ManualClock(NOV27);
    const t = await startTestKernel({ plugins: [chatLogPlugin], clock, env: { SALT }, manifest: manifest(dataDir) });
    t.bus.emit('chat.message', message('alice', 'hello there', 'anna', NOV27));
    t.bus.emit('chat.message', message('bob', 'not logged', 'ben', NOV27));
    t.bus.emit('chat.message', message('alice', `leaked ${SALT}`, 'cy', NOV27));
    clock.advance(120_000); // past midnight UTC
    t.bus.emit('chat.message', message('alice', 'a new day', 'anna', clock.now()));
    // A window without chat is logged by default, so a reader of the log knows what may be missing.
    t.bus.emit('chat.gap', { creatorId: 'alice', platform: 'twitch', channel: 'alice', from: clock.now() - 5000, to: clock.now(), resumed: true, at: clock.now() });
    t.bus.emit('kernel.started', { at: clock.now() } as never); // not a chat event: ignored
    await t.stop();

    const dir = join(dataDir, 'chatlog', 'alice');
    expect(readdirSync(dir).sort()).toEqual(['2026-11-27.jsonl', '2026-11-28.jsonl']);
    expect(readdirSync(join(dataDir, 'chatlog'))).toEqual(['alice']);
    const first = lines(join(dir, '2026-11-27.jsonl'));
    expect(first[0]).toEqual({ schema: 'streamsuites.chatlog', version: 1, creator: 'alice' });
    expect(first.slice(1).map((e) => [e.at, e.event, e.data.text])).toEqual([
      [NOV27, 'chat.message', 'hello there'],
      [NOV27, 'chat.message', 'leaked [redacted]'],
    ]);
    expect(readFileSync(join(dir, '2026-11-27.jsonl'), 'utf8')).not.toContain(SALT);
    expect(first[1]!.data.author.id).toBe('uid-anna'); // not hashed unless asked
    expect(lines(join(dir, '2026-11-28.jsonl')).slice(1).map((e) => e.event)).toEqual(['chat.message', 'chat.gap']);
    expect(lines(join(dir, '2026-11-28.jsonl'))[2]!.data).toMatchObject({ from: clock.now() - 5000, to: clock.now(), resumed: true });
  });

  it('hashUserIds replaces user ids with a keyed hash, stable per user; without a salt it is a coded error', async () => {
    const dataDir = tempDir();
    const clock = new ManualClock(NOV27);
    const t = await startTestKernel({ plugins: [chatLogPlugin], clock, env: { SALT }, manifest: manifest(dataDir, { hashUserIds: true }) });
    t.bus.emit('chat.message', message('alice', 'one', 'anna', NOV27));
    t.bus.emit('chat.message', message('alice', 'two', 'anna', NOV27));
    await t.stop();
    const entries = lines(join(dataDir, 'chatlog', 'alice', '2026-11-27.jsonl')).slice(1);
    expect(entries.map((e) => e.data.author.id)).toEqual([hashId('uid-anna', SALT), hashId('uid-anna', SALT)]);
    expect(entries[0]!.data.author.id).toMatch(/^h:[A-Za-z0-9_-]{22}$/);
    expect(JSON.stringify(entries)).not.toContain('uid-anna');

    const noSalt = await startTestKernel({
      plugins: [chatLogPlugin],
      env: {},
      manifest: { dataDir: tempDir(), plugins: { chatlog: {} }, creators: { alice: { enable: ['chatlog'], config: { chatlog: { hashUserIds: true } } } } },
    });
    const failed = noSalt.events.of('kernel.plugin.failed');
    expect(failed.map((f) => [f.pluginId, f.creatorId, f.phase])).toEqual([['chatlog', 'alice', 'start']]);
    expect(failed[0]!.error.message).toContain('plugins.chatlog.config.hashSalt is not set');
    expect(noSalt.logs.text()).toContain('SS_ERR_CHATLOG_NO_SALT');
    await noSalt.stop();
  });

  it('a salt written into the manifest as is (not through ${env:...}) is still masked in logs and logs files', async () => {
    const dataDir = tempDir();
    const literal = 'literal-salt-in-the-manifest-0123';
    const t = await startTestKernel({
      plugins: [chatLogPlugin],
      clock: new ManualClock(NOV27),
      manifest: { dataDir, plugins: { chatlog: { config: { hashSalt: literal } } }, creators: { alice: { enable: ['chatlog'], config: { chatlog: { hashUserIds: true } } } } },
    });
    t.bus.emit('chat.message', message('alice', `the salt is ${literal}`, 'anna', NOV27));
    t.kernel.logger.info({ note: literal }, 'a log line that mentions it');
    await t.stop();
    expect(readFileSync(join(dataDir, 'chatlog', 'alice', '2026-11-27.jsonl'), 'utf8')).not.toContain(literal);
    expect(t.logs.text()).not.toContain(literal);
  });

  it('rolls a full day file over to numbered parts', async () => {
    const dataDir = tempDir();
    const clock = new ManualClock(Date.UTC(2026, 10, 27, 12));
    const t = await startTestKernel({ plugins: [chatLogPlugin], clock, env: { SALT }, manifest: manifest(dataDir, {}, { maxFileBytes: 4096 }) });
    for (let i = 0; i < 40; i++) t.bus.emit('chat.message', message('alice', `message number ${i} ${'x'.repeat(100)}`, 'anna', clock.now()));
    await t.stop();
    const dir = join(dataDir, 'chatlog', 'alice');
    const files = readdirSync(dir).sort();
    expect(files.length).toBeGreaterThan(2);
    expect(files[0]).toBe('2026-11-27.1.jsonl'); // sorted names: parts after the first file
    const texts: string[] = [];
    for (const name of ['2026-11-27.jsonl', ...files.filter((f) => f !== '2026-11-27.jsonl').sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]))]) {
      const content = lines(join(dir, name));
      expect(content[0]!.schema).toBe('streamsuites.chatlog');
      expect(readFileSync(join(dir, name)).length).toBeLessThanOrEqual(4096);
      texts.push(...content.slice(1).map((e) => e.data.text as string));
    }
    expect(texts).toEqual(Array.from({ length: 40 }, (_, i) => `message number ${i} ${'x'.repeat(100)}`));
  });

  it('deletes files older than retentionDays at start, and leaves other files alone', async () => {
    const dataDir = tempDir();
    const dir = join(dataDir, 'chatlog', 'alice');
    mkdirSync(dir, { recursive: true });
    for (const name of ['2026-10-01.jsonl', '2026-10-01.1.jsonl', '2026-11-20.jsonl', 'notes.txt']) writeFileSync(join(dir, name), 'x\n');
    const t = await startTestKernel({ plugins: [chatLogPlugin], clock: new ManualClock(NOV27), env: { SALT }, manifest: manifest(dataDir, {}, { retentionDays: 30 }) });
    await t.stop();
    expect(readdirSync(dir).sort()).toEqual(['2026-11-20.jsonl', 'notes.txt']);
  });

  it('a full buffer drops new events and counts them instead of growing without end', async () => {
    const dataDir = tempDir();
    const clock = new ManualClock(NOV27);
    const t = await startTestKernel({ plugins: [chatLogPlugin], clock, env: { SALT }, manifest: manifest(dataDir, {}, { maxBufferedEvents: 100, flushIntervalMs: 60_000 }) });
    for (let i = 0; i < 150; i++) t.bus.emit('chat.message', message('alice', `m${i}`, 'anna', NOV27));
    await t.stop();
    const entries = lines(join(dataDir, 'chatlog', 'alice', '2026-11-27.jsonl')).slice(1);
    expect(entries.map((e) => e.data.text)).toEqual(Array.from({ length: 100 }, (_, i) => `m${i}`));
    expect(t.logs.text()).toContain('chat log buffer full');
    expect(t.logs.lines.some((r) => r.msg === 'chat log closed' && r.dropped === 50 && r.written === 100)).toBe(true);
  });
});
