import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { exportsPlugin } from '@streamsuites/plugin-exports';
import { describe, expect, it } from 'vitest';
import { fakeApi, lines, startRumble, tempDir, until } from './helpers.js';

const GOOD = 'g00dKeyOfMaya_abcdefghijklmnop';
const BAD = 'wr0ngKeyOfDaniel_zyxwvutsrqpo';
const STREAM_KEY = 'live_stream_key_SECRET_7f3a9c2b1e';

/** Every file under `dir`, as text. */
function allFiles(dir: string): { path: string; text: string }[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile())
    .map((path) => ({ path, text: readFileSync(path).toString('latin1') }));
}

describe('plugin-rumble when Rumble fails', () => {
  it('a rejected key stops only that creator with SS_ERR_RUMBLE_KEY_REJECTED and no retry storm; the other creator reads on', async () => {
    const fake = await fakeApi();
    const maya = fake.addChannel(GOOD, { username: 'Maya' });
    maya.goLive();
    const t = await startRumble({ fake, creators: { daniel: { key: BAD }, maya: { key: GOOD } } });
    const failed = await t.events.waitFor('platform.auth-failed');
    expect(failed).toMatchObject({ creatorId: 'daniel', platform: 'rumble', error: { code: 'SS_ERR_RUMBLE_KEY_REJECTED' } });
    expect(failed.error.message).toContain('HTTP 401');
    const badRequests = fake.requestCount(BAD);
    // Maya polls 30 more times meanwhile: a retry storm would show as more requests with the bad key.
    await fake.waitForRequests(fake.requestCount(GOOD) + 30, { key: GOOD });
    maya.say({ username: 'anna', text: 'still here' });
    await until('maya chat', () => lines(t, 'maya').length === 1);
    expect(fake.requestCount(BAD)).toBe(badRequests);
    expect(badRequests).toBe(1);
    expect(t.events.of('platform.connection').filter((e) => e.creatorId === 'daniel').map((e) => e.state)).toEqual(['connecting', 'auth-failed']);
    expect(t.kernel.status().state).toBe('running');
    await t.stop();
    // Stopping keeps auth-failed as the last word for daniel (a dashboard shows why it is not reading).
    expect(t.events.of('platform.connection').filter((e) => e.creatorId === 'daniel').at(-1)?.state).toBe('auth-failed');
  });

  it('a 403 later in the stream stops polling too, and reports the live stream offline', async () => {
    const fake = await fakeApi();
    fake.addChannel(GOOD).goLive();
    const t = await startRumble({ fake, creators: { maya: { key: GOOD } } });
    await t.events.waitFor('stream.online');
    fake.failNext({ key: GOOD, status: 403 });
    await t.events.waitFor('platform.auth-failed');
    await t.events.waitFor('stream.offline');
    const count = fake.requestCount(GOOD);
    await t.stop();
    expect(fake.requestCount(GOOD)).toBe(count);
  });

  it('429 (Retry-After honoured), 5xx and every kind of malformed body back off and recover without losing or repeating a message', async () => {
    const fake = await fakeApi();
    const maya = fake.addChannel(GOOD);
    maya.goLive();
    const t = await startRumble({ fake, creators: { maya: { key: GOOD } } });
    await t.events.waitFor('stream.online');
    const said: string[] = [];
    const say = (text: string) => {
      maya.say({ username: 'anna', text });
      said.push(`anna: ${text}`);
    };

    say('before the 429');
    fake.failNext({ key: GOOD, status: 429, retryAfterSec: 1 });
    const mark = fake.requestCount(GOOD);
    await fake.waitForRequests(mark + 2, { key: GOOD });
    const [rateLimited, next] = fake.requests().filter((r) => r.key === GOOD).slice(-2);
    expect(rateLimited!.status).toBe(429);
    expect(next!.at - rateLimited!.at).toBeGreaterThanOrEqual(950); // Retry-After: 1 beats the 100 ms backoff

    fake.failNext({ key: GOOD, status: 503, times: 3 });
    say('during the 503s');
    for (const kind of ['truncated', 'not-json', 'html', 'wrong-shape', 'empty'] as const) {
      fake.malformNext({ key: GOOD, kind });
      say(`during ${kind}`);
    }
    await until('every message', () => lines(t).length === said.length);
    await fake.waitForRequests(fake.requestCount(GOOD) + 5, { key: GOOD }); // and nothing more arrives on later good polls
    expect(lines(t)).toEqual(said);

    const warningLines = () => t.logs.lines.filter((e) => String(e.msg).startsWith('Rumble poll failed'));
    await until('nine warnings logged', () => warningLines().length >= 9); // log lines are written asynchronously
    const warnings = warningLines();
    const codes = new Set(warnings.map((e) => e.code));
    expect(codes).toEqual(new Set(['SS_ERR_RUMBLE_API', 'SS_ERR_RUMBLE_BAD_RESPONSE']));
    expect(warnings.length).toBe(1 + 3 + 5);
    const states = t.events.of('platform.connection').map((e) => e.state);
    expect(states.filter((s) => s === 'reconnecting').length).toBeGreaterThanOrEqual(2);
    expect(states.at(-1)).toBe('connected');
    await t.stop();
  });

  it('the key and the stream key appear in no log line, event, error or exported file', async () => {
    const fake = await fakeApi();
    const maya = fake.addChannel(GOOD, { streamKey: STREAM_KEY });
    maya.goLive();
    const dataDir = tempDir();
    const storeSqlite = (await import('@streamsuites/store-sqlite')).default;
    const t = await startRumble({
      fake,
      dataDir,
      plugins: [exportsPlugin, storeSqlite],
      extraPlugins: { exports: { config: { mirror: false } } },
      creators: { maya: { key: GOOD }, daniel: { key: BAD } },
    });
    await t.events.waitFor('stream.online');
    maya.say({ username: 'anna', text: `my key is not ${GOOD.slice(0, 4)}` });
    fake.failNext({ key: GOOD, status: 500 });
    fake.malformNext({ key: GOOD, kind: 'truncated' }); // a cut body holds the stream key half-way: must not be echoed
    await fake.waitForRequests(fake.requestCount(GOOD) + 4, { key: GOOD });
    await t.events.waitFor('platform.auth-failed');
    await t.stop();

    const everything = [t.logs.text(), JSON.stringify(t.events.events)];
    for (const text of everything) {
      expect(text).not.toContain(GOOD);
      expect(text).not.toContain(BAD);
      expect(text).not.toContain(STREAM_KEY);
    }
    const files = allFiles(dataDir);
    expect(files.some((f) => f.path.endsWith('.json'))).toBe(true); // exports were written
    for (const file of files) {
      expect(file.text, file.path).not.toContain(GOOD);
      expect(file.text, file.path).not.toContain(BAD);
      expect(file.text, file.path).not.toContain(STREAM_KEY);
    }
  });
});
