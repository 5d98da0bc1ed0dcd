/**
 * Browser mode in real Chromium (/usr/bin/chromium, driven by playwright-core)
 * against the fake Rumble chat page. Without Chromium these tests fail, they
 * do not skip. Waits poll with a deadline or wait for events; no fixed sleeps.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serializeError } from '@streamsuites/kernel';
import { createTempDirs } from '@streamsuites/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it, type TestContext } from 'vitest';
import { RumbleBrowserChat, type RumbleBrowserChatOptions } from '../src/browser/browser-chat.js';
import { DEFAULT_SELECTORS, type RumbleSelectors } from '../src/config.js';
import { SS_ERR_RUMBLE_BROWSER, SS_ERR_RUMBLE_SELECTOR_MISSING, SS_ERR_RUMBLE_SEND_UNAVAILABLE } from '../src/errors.js';
import { startFakeRumbleChatPage, type FakeChatPageOptions, type FakeRumbleChatPage } from '../src/fake/chat-page.js';
import type { RumbleChatEntry } from '../src/types.js';

const CHROMIUM = '/usr/bin/chromium';

/** Browser tests fail, never skip, without Chromium. */
function requireChromium(): void {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing (${CHROMIUM}); install it with: apt-get install chromium`);
}

interface Recorder {
  chat: RumbleBrowserChat;
  entries: RumbleChatEntry[];
  errors: (Error & { code?: string; details?: Record<string, unknown> })[];
  logs: { level: string; obj: object; msg: string }[];
}

function makeChat(options: { chatUrl: string; profileDir: string; selectors?: Partial<RumbleSelectors> } & Partial<Omit<RumbleBrowserChatOptions, 'selectors'>>): Recorder {
  const entries: RumbleChatEntry[] = [];
  const errors: Recorder['errors'] = [];
  const logs: Recorder['logs'] = [];
  const log = (level: string) => (obj: object, msg: string) => void logs.push({ level, obj, msg });
  const chat = new RumbleBrowserChat({
    creatorId: 'daniel',
    chromiumPath: CHROMIUM,
    headless: true,
    pageTimeoutMs: 15_000,
    onEntry: (entry) => entries.push(entry),
    onError: (error) => errors.push(error),
    logger: { info: log('info'), warn: log('warn'), error: log('error') },
    ...options,
    selectors: { ...DEFAULT_SELECTORS, ...options.selectors },
  });
  return { chat, entries, errors, logs };
}

/** Polls `check` until it returns something other than undefined, or fails naming `what`. */
async function until<T>(check: () => T | undefined, what: () => string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function rejection(promise: Promise<unknown>): Promise<Error & { code?: string; details?: Record<string, unknown> }> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(outcome instanceof Error)) throw new Error('expected a rejection, got success');
  return outcome;
}

let fences = 0;
/**
 * Appends a fence message and waits until it was emitted; returns what was
 * emitted before it. Anything emitted twice, or late, lands before the fence
 * of the same or the next call, so exact-count assertions stay honest.
 */
async function fenced(fake: FakeRumbleChatPage, rec: Recorder): Promise<RumbleChatEntry[]> {
  const id = `fence-${++fences}`;
  await fake.append({ username: 'fence', text: id, id });
  const at = await until(
    () => {
      const index = rec.entries.findIndex((e) => e.platformId === id);
      return index === -1 ? undefined : index;
    },
    () => `the fence ${id} (emitted so far: ${rec.entries.length})`,
  );
  expect(rec.entries.slice(at + 1), 'nothing after the fence').toEqual([]);
  return rec.entries.slice(0, at);
}

/** Chromium processes running on `profileDir`: the browser itself, or its page renderers (not the browser UI's). */
function chromiumOn(profileDir: string, type: 'browser' | 'renderer' | 'any' = 'browser'): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    // Zygote-forked processes (renderers) rewrite their title into one space-separated string.
    const args = cmdline.split(/[\0 ]/);
    if (!args.includes(`--user-data-dir=${profileDir}`)) continue;
    const processType = args.find((a) => a.startsWith('--type='));
    if (type === 'any' || (type === 'browser' ? processType === undefined : processType === '--type=renderer' && !args.includes('--top-chrome-webui'))) pids.push(Number(name));
  }
  return pids;
}

const temp = createTempDirs('ss-rumble-browser-');

/**
 * What one test of the concurrent describes owns: a fake page, temp profile
 * folders and the chats it makes; all stopped, closed and removed when the
 * test ends, whatever its outcome.
 */
async function scene(ctx: TestContext, options?: FakeChatPageOptions) {
  const dirs = createTempDirs('ss-rumble-browser-');
  const fake = await startFakeRumbleChatPage(options);
  const chats: Recorder[] = [];
  ctx.onTestFinished(async () => {
    for (const rec of chats) await rec.chat.stop();
    await fake.close();
    dirs.removeAll();
  });
  return {
    fake,
    profile: () => dirs.make(),
    chat(chatOptions: Parameters<typeof makeChat>[0]): Recorder {
      const rec = makeChat(chatOptions);
      chats.push(rec);
      return rec;
    },
  };
}

describe('RumbleBrowserChat reading and replying on the chat page', { timeout: 30_000 }, () => {
  let fake: FakeRumbleChatPage;
  let rec: Recorder;

  beforeAll(async () => {
    requireChromium();
    fake = await startFakeRumbleChatPage();
    await fake.append({ username: 'early', text: 'history one', id: 'h1' });
    await fake.append({ username: 'early', text: 'history rant', id: 'h2', rant: { price: '$5' } });
    rec = makeChat({ chatUrl: fake.url, profileDir: temp.make(), sendTimeoutMs: 2500 });
    await rec.chat.start();
    await fake.waitForClients(1);
  }, 30_000);

  afterAll(async () => {
    await rec?.chat.stop();
    await fake?.close();
    temp.removeAll();
  });

  beforeEach(() => {
    rec.entries.length = 0;
  });

  it('skips the rows already on the page when it attaches (history), and runs', async () => {
    expect(rec.chat.status).toBe('running');
    expect(rec.chat.stats.historyRows).toBe(2);
    expect(await fenced(fake, rec)).toEqual([]);
    // Counted since start (entries is cleared before each test): the fence is the only row emitted so far.
    expect(rec.chat.stats.entries).toBe(1);
    expect(rec.errors).toEqual([]);
  });

  it('emits plain, badged, rant and unicode messages once each, in order', async () => {
    await fake.append({ username: 'alice', text: 'hello chat', id: '501' });
    await fake.append({ username: 'mod_bob', text: 'be nice', id: '502', badges: ['Moderator', 'Rumble Premium User', 'Supporter+'] });
    await fake.append({ username: 'carol', text: 'take my money', id: '503', rant: { price: '$2' }, badges: ['Admin'] });
    await fake.append({ username: 'dave', text: 'half', id: '504', rant: { price: '$1.50' } });
    await fake.append({ username: 'émile', text: 'héllo 👋🏽 世界 — “quotes” <b>not html</b>', id: '505' });
    expect(await fenced(fake, rec)).toEqual([
      { source: 'browser', username: 'alice', text: 'hello chat', badges: [], platformId: '501' },
      { source: 'browser', username: 'mod_bob', text: 'be nice', badges: ['moderator', 'premium', 'supporter+'], platformId: '502' },
      { source: 'browser', username: 'carol', text: 'take my money', badges: ['admin'], platformId: '503', rant: { amountCents: 200 } },
      { source: 'browser', username: 'dave', text: 'half', badges: [], platformId: '504', rant: { amountCents: 150 } },
      { source: 'browser', username: 'émile', text: 'héllo 👋🏽 世界 — “quotes” <b>not html</b>', badges: [], platformId: '505' },
    ]);
  });

  it('emits 200 messages appended in a burst exactly once each, in order', async () => {
    for (let i = 0; i < 200; i++) void fake.append({ username: `user${i % 7}`, text: `burst ${i}`, id: `b${i}` });
    const got = await fenced(fake, rec);
    expect(got.map((e) => e.text)).toEqual(Array.from({ length: 200 }, (_, i) => `burst ${i}`));
    expect(new Set(got.map((e) => e.platformId)).size).toBe(200);
  });

  it('sends a reply through the chat box: the server gets it and the page shows it as our own row', async () => {
    await rec.chat.send('thanks @alice 🎉');
    expect(await fake.waitForTyped(1)).toEqual(['thanks @alice 🎉']);
    const own = await fenced(fake, rec);
    expect(own).toEqual([{ source: 'browser', username: 'streamsuites-bot', text: 'thanks @alice 🎉', badges: [], platformId: expect.any(String) }]);
    expect(rec.chat.stats.sent).toBe(1);
  });

  it('sends concurrent replies one at a time, in call order', async () => {
    const before = fake.typed().length;
    await Promise.all([rec.chat.send('one'), rec.chat.send('two'), rec.chat.send('three')]);
    expect((await fake.waitForTyped(before + 3)).slice(before)).toEqual(['one', 'two', 'three']);
    expect((await fenced(fake, rec)).map((e) => e.text)).toEqual(['one', 'two', 'three']);
  });

  it('rejects an empty reply without typing it', async () => {
    const before = fake.typed().length;
    const error = await rejection(rec.chat.send('   '));
    expect(SS_ERR_RUMBLE_SEND_UNAVAILABLE.is(error)).toBe(true);
    await rec.chat.send('after empty');
    expect((await fake.waitForTyped(before + 1)).slice(before)).toEqual(['after empty']);
    expect((await fenced(fake, rec)).map((e) => e.text)).toEqual(['after empty']);
  });

  it('chat box disabled (a profile not logged in): send rejects with SS_ERR_RUMBLE_SEND_UNAVAILABLE, nothing typed', async () => {
    const before = fake.typed().length;
    await fake.setChatBox('disabled');
    try {
      const error = await rejection(rec.chat.send('nobody hears this'));
      expect(SS_ERR_RUMBLE_SEND_UNAVAILABLE.is(error)).toBe(true);
      expect(error.message).toContain('logged in');
    } finally {
      await fake.setChatBox('normal');
    }
    await rec.chat.send('logged in again');
    expect((await fake.waitForTyped(before + 1)).slice(before)).toEqual(['logged in again']);
    expect((await fenced(fake, rec)).map((e) => e.text)).toEqual(['logged in again']);
  });

  it('the page keeps the text (Rumble refused it): send rejects with a timeout SS_ERR_RUMBLE_BROWSER instead of resolving', async () => {
    const before = fake.typed().length;
    const sent = rec.chat.stats.sent;
    await fake.setChatBox('stuck');
    try {
      const error = await rejection(rec.chat.send('refused'));
      expect(SS_ERR_RUMBLE_BROWSER.is(error)).toBe(true);
      expect(error.message).toContain('send timed out');
      expect(rec.chat.stats.sent).toBe(sent);
    } finally {
      await fake.setChatBox('normal');
    }
    await rec.chat.send('accepted');
    expect((await fake.waitForTyped(before + 1)).slice(before)).toEqual(['accepted']);
    expect((await fenced(fake, rec)).map((e) => e.text)).toEqual(['accepted']);
  });

  it('does not emit rows again when the page re-renders them as new elements (same data-message-id)', async () => {
    await fake.append({ username: 'alice', text: 'before rows re-render', id: 'rr1' });
    expect((await fenced(fake, rec)).map((e) => e.text)).toEqual(['before rows re-render']);
    rec.entries.length = 0;
    fake.rerender('rows');
    await fake.append({ username: 'alice', text: 'after rows re-render', id: 'rr2' });
    expect((await fenced(fake, rec)).map((e) => e.text)).toEqual(['after rows re-render']);
  });

  it('follows the chat list when the page replaces it without a reload', async () => {
    const history = rec.chat.stats.historyRows;
    const logged = rec.logs.length;
    fake.rerender('list');
    await fake.append({ username: 'alice', text: 'into the new list', id: 'rl1' });
    expect((await fenced(fake, rec)).map((e) => e.text)).toEqual(['into the new list']);
    expect(rec.logs.slice(logged).filter((l) => l.msg.includes('re-rendered'))).toHaveLength(1);
    // Every row of the new list was already seen (by element or id): none counted as new history.
    expect(rec.chat.stats.historyRows).toBe(history);
    expect(rec.errors).toEqual([]);
  });

  it('observes again after the page reloads, skipping what the new page shows on load', async () => {
    const loads = fake.visits().total;
    const logged = rec.logs.length;
    fake.reloadPages();
    await until(
      () => (rec.logs.slice(logged).some((l) => l.msg.includes('observing again')) ? true : undefined),
      () => `the re-attach after reload (page loads: ${fake.visits().total - loads})`,
    );
    expect(fake.visits().total).toBe(loads + 1);
    await fake.append({ username: 'alice', text: 'after reload', id: 'r1' });
    expect((await fenced(fake, rec)).map((e) => e.text)).toEqual(['after reload']);
    expect(rec.chat.status).toBe('running');
    expect(rec.errors).toEqual([]);
  });
});

describe.concurrent('RumbleBrowserChat when the page changed shape', { timeout: 30_000 }, () => {
  beforeAll(() => requireChromium());

  it('renamed chat list: start rejects naming chatList and the page without its query string; status failed; Chromium closed', async (ctx) => {
    const { fake, profile, chat } = await scene(ctx, { variant: 'renamed-list' });
    const profileDir = profile();
    const rec = chat({ chatUrl: `${fake.url}?token=s3cret`, profileDir, pageTimeoutMs: 3000 });
    const error = await rejection(rec.chat.start());
    expect(SS_ERR_RUMBLE_SELECTOR_MISSING.is(error)).toBe(true);
    expect(error.details).toMatchObject({ name: 'chatList', selector: '#chat-history-list', page: fake.url });
    expect(error.message).toContain(fake.url);
    expect(error.message).not.toContain('s3cret');
    expect(rec.chat.status).toBe('failed');
    expect(chromiumOn(profileDir)).toEqual([]);
    // A failed start is not reported twice: the rejection is the report.
    expect(rec.errors).toEqual([]);
  });

  it('renamed chat box: reading works, send rejects naming chatInput and types nothing', async (ctx) => {
    const { fake, profile, chat } = await scene(ctx, { variant: 'renamed-input' });
    const rec = chat({ chatUrl: fake.url, profileDir: profile() });
    await rec.chat.start();
    await fake.append({ username: 'alice', text: 'still readable', id: 'x1' });
    expect((await fenced(fake, rec)).map((e) => e.text)).toEqual(['still readable']);
    const error = await rejection(rec.chat.send('hello?'));
    expect(SS_ERR_RUMBLE_SELECTOR_MISSING.is(error)).toBe(true);
    expect(error.details).toMatchObject({ name: 'chatInput', selector: '#chat-message-text-input', page: fake.url });
    expect(fake.typed()).toEqual([]);
    expect(rec.chat.status).toBe('running');
  });

  it('send button renamed: replies go out with Enter in the chat box (logged once); a throwing onEntry does not stop the rows after it', async (ctx) => {
    const { fake, profile, chat } = await scene(ctx);
    let calls = 0;
    const received: string[] = [];
    const rec = chat({
      chatUrl: fake.url,
      profileDir: profile(),
      selectors: { sendButton: 'button.chat--send-v2' },
      onEntry: (entry) => {
        calls++;
        if (entry.text === 'boom') throw new Error('listener bug');
        received.push(entry.text);
      },
    });
    await rec.chat.start();
    await rec.chat.send('via enter 1');
    await rec.chat.send('via enter 2');
    expect(await fake.waitForTyped(2)).toEqual(['via enter 1', 'via enter 2']);
    expect(rec.logs.filter((l) => l.msg.includes('sending with Enter'))).toHaveLength(1);
    const r = rec;
    await until(() => (received.length >= 2 ? true : undefined), () => `our own 2 rows (got ${JSON.stringify(received)})`);
    received.length = 0;
    for (const text of ['boom', 'after boom']) await fake.append({ username: 'alice', text });
    await until(() => (received.includes('after boom') ? true : undefined), () => `"after boom" (got ${JSON.stringify(received)}, calls ${calls})`);
    expect(received).toEqual(['after boom']);
    expect(r.chat.stats.callbackErrors).toBe(1);
    expect(r.logs.filter((l) => l.level === 'error' && l.msg === 'onEntry threw')).toHaveLength(1);
  });

  it('rows without a username element: one onError naming username, every row skipped and counted, no crash', async (ctx) => {
    const { fake, profile, chat } = await scene(ctx);
    const rec = chat({ chatUrl: fake.url, profileDir: profile(), selectors: { username: '.chat-history--author' } });
    await rec.chat.start();
    for (let i = 0; i < 3; i++) await fake.append({ username: 'alice', text: `row ${i}` });
    const r = rec;
    // Errors are reported while the batch is handled: once 3 rows are counted, every report is in.
    await until(() => (r.chat.stats.skippedRows >= 3 ? true : undefined), () => `3 skipped rows (now ${r.chat.stats.skippedRows})`);
    expect(rec.chat.stats.skippedRows).toBe(3);
    expect(rec.entries).toEqual([]);
    expect(rec.errors).toHaveLength(1);
    expect(SS_ERR_RUMBLE_SELECTOR_MISSING.is(rec.errors[0])).toBe(true);
    expect(rec.errors[0]!.details).toMatchObject({ name: 'username', selector: '.chat-history--author', page: fake.url });
    expect(rec.chat.status).toBe('running');
  });
});

describe.concurrent('RumbleBrowserChat lifecycle', { timeout: 30_000 }, () => {
  beforeAll(() => requireChromium());

  it('a chromiumPath that does not exist: start rejects with SS_ERR_RUMBLE_BROWSER, status failed', async (ctx) => {
    const { profile, chat } = await scene(ctx);
    const rec = chat({ chatUrl: 'http://127.0.0.1:9/chat/popup/x', profileDir: profile(), chromiumPath: '/nonexistent/chromium' });
    const error = await rejection(rec.chat.start());
    expect(SS_ERR_RUMBLE_BROWSER.is(error)).toBe(true);
    expect(error.message).toContain('/nonexistent/chromium');
    expect(rec.chat.status).toBe('failed');
  });

  it('a page that cannot be loaded or answers 404: start rejects with SS_ERR_RUMBLE_BROWSER, no query string anywhere in the error', async (ctx) => {
    const { fake, profile, chat } = await scene(ctx);
    const missing = chat({ chatUrl: `${fake.url}-gone?token=s3cret`, profileDir: profile() });
    const notFound = await rejection(missing.chat.start());
    expect(SS_ERR_RUMBLE_BROWSER.is(notFound)).toBe(true);
    expect(notFound.message).toContain('HTTP 404');
    const refused = chat({ chatUrl: 'http://127.0.0.1:9/chat/popup/x?token=s3cret', profileDir: profile() });
    const unreachable = await rejection(refused.chat.start());
    expect(SS_ERR_RUMBLE_BROWSER.is(unreachable)).toBe(true);
    expect(unreachable.message).toContain('cannot open the chat page http://127.0.0.1:9/chat/popup/x');
    for (const error of [notFound, unreachable]) expect(JSON.stringify(serializeError(error))).not.toContain('s3cret');
    expect([missing.chat.status, refused.chat.status]).toEqual(['failed', 'failed']);
  });

  it('stop is idempotent; a fresh instance on the same profile starts and keeps the cookies of the first', async (ctx) => {
    const { fake, profile, chat } = await scene(ctx);
    const profileDir = profile();
    const first = chat({ chatUrl: fake.url, profileDir });
    expect(first.chat.status).toBe('idle');
    await first.chat.start();
    const stopping = first.chat.stop();
    expect(first.chat.stop()).toBe(stopping);
    await stopping;
    await first.chat.stop();
    expect(first.chat.status).toBe('stopped');
    expect(chromiumOn(profileDir)).toEqual([]);
    expect(SS_ERR_RUMBLE_SEND_UNAVAILABLE.is(await rejection(first.chat.send('too late')))).toBe(true);
    expect(SS_ERR_RUMBLE_BROWSER.is(await rejection(first.chat.start()))).toBe(true);
    // Chromium's profile files are in the directory.
    expect(readdirSync(profileDir)).toEqual(expect.arrayContaining(['Default', 'Local State']));

    const second = chat({ chatUrl: fake.url, profileDir });
    await second.chat.start();
    await fake.append({ username: 'alice', text: 'second run', id: 's1' });
    expect((await fenced(fake, second)).map((e) => e.text)).toEqual(['second run']);
    // The session cookie set on the first load came back on the second: the profile persisted (a login would too).
    expect(fake.visits()).toEqual({ total: 2, withSession: 1 });
  });

  it('stop during start: start rejects, status stopped, no Chromium left on the profile', async (ctx) => {
    const { fake, profile, chat } = await scene(ctx);
    const profileDir = profile();
    const rec = chat({ chatUrl: fake.url, profileDir });
    const starting = rec.chat.start();
    expect(rec.chat.status).toBe('starting');
    await rec.chat.stop();
    const error = await rejection(starting);
    expect(SS_ERR_RUMBLE_BROWSER.is(error)).toBe(true);
    expect(rec.chat.status).toBe('stopped');
    expect(chromiumOn(profileDir)).toEqual([]);
  });

  it('the chat page renderer crashes: status failed, exactly one onError (SS_ERR_RUMBLE_BROWSER), Chromium closed', async (ctx) => {
    const { fake, profile, chat } = await scene(ctx);
    const profileDir = profile();
    const rec = chat({ chatUrl: fake.url, profileDir });
    await rec.chat.start();
    const renderers = chromiumOn(profileDir, 'renderer');
    expect(renderers.length).toBeGreaterThan(0);
    for (const pid of renderers) process.kill(pid, 'SIGKILL');
    await until(() => (rec.chat.status === 'failed' ? true : undefined), () => `status failed (now ${rec.chat.status})`);
    await until(() => (chromiumOn(profileDir).length === 0 ? true : undefined), () => 'Chromium closed after the crash');
    await rec.chat.stop();
    expect(rec.errors).toHaveLength(1);
    expect(SS_ERR_RUMBLE_BROWSER.is(rec.errors[0])).toBe(true);
    expect(rec.errors[0]!.message).toContain('crashed');
  });

  it('Chromium killed while running: status failed and exactly one onError (SS_ERR_RUMBLE_BROWSER)', async (ctx) => {
    const { fake, profile, chat } = await scene(ctx);
    const profileDir = profile();
    const rec = chat({ chatUrl: fake.url, profileDir });
    await rec.chat.start();
    const pids = chromiumOn(profileDir);
    expect(pids).toHaveLength(1);
    process.kill(pids[0]!, 'SIGKILL');
    await until(() => (rec.chat.status === 'failed' ? true : undefined), () => `status failed (now ${rec.chat.status})`);
    // stop() waits for Chromium's close to finish, so every close event has been handled.
    await rec.chat.stop();
    expect(rec.errors).toHaveLength(1);
    expect(SS_ERR_RUMBLE_BROWSER.is(rec.errors[0])).toBe(true);
    expect(rec.errors[0]!.details).toMatchObject({ creatorId: 'daniel', page: fake.url });
    // The killed browser's helpers (GPU, network, storage) outlive it a moment and keep writing into the
    // profile, which made removing the folder fail under load: wait for them (and end any still there).
    await until(() => (chromiumOn(profileDir, 'any').length === 0 ? true : undefined), () => 'the killed Chromium\'s helpers to exit', 5_000).catch(() => {
      for (const pid of chromiumOn(profileDir, 'any')) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone meanwhile
        }
      }
    });
    await until(() => (chromiumOn(profileDir, 'any').length === 0 ? true : undefined), () => `no process using ${profileDir}`);
  });
});
