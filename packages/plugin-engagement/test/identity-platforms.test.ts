/**
 * One identity across platforms, end to end from chat on the local platform
 * servers: a viewer links their Twitch and YouTube accounts with `!link`
 * (asked on Twitch naming her YouTube name, the code answered in public
 * Twitch chat; someone else typing it first on YouTube is refused; typed on
 * YouTube from her channel), then gets one poll vote
 * and one user cooldown across both; nothing of the link reaches the
 * export files.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { identityMapRef, stateStoreRef } from '@streamsuites/kernel';
import exportsPlugin from '@streamsuites/plugin-exports';
import twitchPlugin from '@streamsuites/plugin-twitch';
import { startFakeTwitchChat, type FakeTwitchChat, type FakeUser } from '@streamsuites/plugin-twitch/testing';
import youtubePlugin from '@streamsuites/plugin-youtube';
import { startFakeYouTubeApi, type FakeAuthor, type FakeYouTubeApi } from '@streamsuites/plugin-youtube/testing';
import storeSqlitePlugin from '@streamsuites/store-sqlite';
import { startTestKernel, type TestKernel } from '@streamsuites/testing';
import { describe, expect, it, onTestFinished } from 'vitest';
import engagementPlugin, { engagementRef } from '../src/index.js';
import { tempDir } from './helpers.js';

const CHANNEL = 'UCstreamsuitesDanielChan0';
const TWITCH_TOKEN = 'identitytestbottoken0123456789';
/** Generous: the machine is shared, and each wait ends as soon as its event is there. */
const WAIT_MS = 15_000;

const ANNA_TWITCH: FakeUser = { login: 'anna', displayName: 'Anna', userId: '40404040' };
const ANNA_YOUTUBE: FakeAuthor = { channelId: 'UCannaOnYouTube000000001', displayName: 'AnnaYT' };
const BEN_YOUTUBE: FakeAuthor = { channelId: 'UCbenOnYouTube0000000002', displayName: 'BenYT' };
/** Watches Twitch chat and races Anna to her code from his own YouTube channel. */
const MALLORY_YOUTUBE: FakeAuthor = { channelId: 'UCmalloryOnYouTube000003', displayName: 'Mallory' };
const MOD: FakeUser = { login: 'mod_maria', displayName: 'Maria', userId: '50505050', role: 'moderator' };

const TRIGGERS = [
  { id: 'poll', type: 'command', params: { command: '!poll' }, roles: ['moderator'], actions: [{ type: 'poll.open', params: { question: 'Best color?', options: ['red', 'blue'] } }] },
  { id: 'endpoll', type: 'command', params: { command: '!endpoll' }, roles: ['moderator'], actions: [{ type: 'poll.close', params: {} }] },
  { id: 'hello', type: 'command', params: { command: '!hello' }, cooldown: { user: '10m' }, actions: [{ type: 'chat.reply', params: { text: 'hi {user}' } }] },
];

/** Daniel on the local Twitch chat and YouTube Data API, with engagement, exports, the SQLite store and !link on. */
async function startWorld(
  existing: { irc: FakeTwitchChat; yt: FakeYouTubeApi; dataDir: string } | undefined = undefined,
): Promise<{ t: TestKernel; irc: FakeTwitchChat; yt: FakeYouTubeApi; dataDir: string }> {
  const irc = existing?.irc ?? (await startFakeTwitchChat());
  const yt = existing?.yt ?? (await startFakeYouTubeApi());
  if (existing === undefined) {
    onTestFinished(() => irc.close());
    onTestFinished(() => yt.close());
    yt.goLive({ channelId: CHANNEL, title: 'Live!' });
  }
  const dataDir = existing?.dataDir ?? tempDir();
  const { clientId, clientSecret, refreshToken } = yt.credentials;
  const t = await startTestKernel({
    plugins: [storeSqlitePlugin, exportsPlugin, engagementPlugin, twitchPlugin, youtubePlugin],
    env: { TWITCH_TOKEN, YT_SECRET: clientSecret, YT_REFRESH: refreshToken },
    manifest: {
      dataDir,
      plugins: {
        identity: { config: { link: { enabled: true } } },
        exports: { config: { mirror: false } },
        twitch: { config: { chatUrl: irc.url } },
        youtube: { config: { apiUrl: yt.url, tokenUrl: yt.tokenUrl, feedUrl: yt.feedUrl } },
      },
      creators: {
        daniel: {
          enable: ['twitch', 'youtube', 'engagement', 'exports'],
          config: {
            twitch: { channel: 'daniel', botLogin: 'ssbot', token: '${env:TWITCH_TOKEN}' },
            youtube: { channelId: CHANNEL, transport: 'stream', clientId, clientSecret: '${env:YT_SECRET}', refreshToken: '${env:YT_REFRESH}' },
            engagement: {},
          },
          triggers: TRIGGERS,
        },
      },
    },
  });
  await irc.until(() => irc.clients().some((c) => c.registered && c.channels.includes('daniel')), { timeoutMs: WAIT_MS, message: 'the bot joined #daniel' });
  await t.events.waitFor('stream.online', (e) => e.platform === 'youtube', WAIT_MS);
  await irc.until(() => yt.openStreams() > 0, { timeoutMs: WAIT_MS, message: 'the YouTube chat stream is open' });
  return { t, irc, yt, dataDir };
}

/** Every file under `dir` (recursively) but the SQLite database, as text. */
function filesUnder(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const path = join(dir, name);
    if (statSync(path).isFile() && !/\.db(-wal|-shm)?$/.test(name)) out.set(name, readFileSync(path, 'utf8'));
  }
  return out;
}

describe('one identity across Twitch and YouTube, from chat on the local platform servers', () => {
  it('!link youtube <name> on Twitch, the code typed on YouTube (by her, not by whoever types it first): then one vote and one cooldown for the person; nothing of it in the exports', async () => {
    const { t, irc, yt, dataDir } = await startWorld();
    const twitchSaid = () => irc.sentMessages('daniel').map((m) => m.text);
    const youtubeSaid = () => yt.inserted().map((m) => m.text);

    // 1. Anna asks on Twitch for a code for her YouTube account (its display name there); the bot answers in public Twitch chat.
    irc.say('daniel', ANNA_TWITCH, '!link youtube @annayt');
    await irc.until(() => twitchSaid().some((text) => text.includes('your link code is')), { timeoutMs: WAIT_MS, message: 'the code on Twitch' });
    const code = /your link code is ([A-Z0-9]{6}):/.exec(twitchSaid().find((text) => text.includes('your link code is'))!)![1]!;
    expect(twitchSaid()).toEqual([`@Anna your link code is ${code}: type "!link ${code}" from annayt on youtube within 10 minutes.`]);

    // 2. Mallory read it in Twitch chat and types it first, from his YouTube channel: refused, and nothing linked.
    yt.say({ author: MALLORY_YOUTUBE, text: `!link ${code}` });
    await irc.until(() => youtubeSaid().length === 1, { timeoutMs: WAIT_MS, message: 'the refusal on YouTube' });
    expect(youtubeSaid()).toEqual(['@Mallory that code is for annayt on youtube.']);
    const identity = t.kernel.resolve(identityMapRef);
    expect(identity.personKey('youtube', MALLORY_YOUTUBE.channelId!)).toBe(`youtube:${MALLORY_YOUTUBE.channelId}`);
    expect(identity.personKey('twitch', ANNA_TWITCH.userId!)).toBe(`twitch:${ANNA_TWITCH.userId}`);

    // 3. The code is still Anna's: she types it on YouTube; the bot confirms there, naming both accounts.
    yt.say({ author: ANNA_YOUTUBE, text: `!link ${code}` });
    await irc.until(() => youtubeSaid().length === 2, { timeoutMs: WAIT_MS, message: 'the confirmation on YouTube' });
    expect(youtubeSaid()[1]).toBe('@AnnaYT linked: AnnaYT on youtube and Anna on twitch now count as one viewer. "!unlink" undoes it.');
    const person = identity.personKey('twitch', ANNA_TWITCH.userId!);
    expect(person).toMatch(/^person:chat-/);
    expect(identity.personKey('youtube', ANNA_YOUTUBE.channelId!)).toBe(person);

    // 4. One cooldown: !hello on Twitch answers; on YouTube, within the 10 min user cooldown, the same person gets nothing, Ben gets his.
    irc.say('daniel', ANNA_TWITCH, '!hello');
    await irc.until(() => twitchSaid().includes('hi Anna'), { timeoutMs: WAIT_MS, message: 'hi Anna on Twitch' });
    yt.say({ author: ANNA_YOUTUBE, text: '!hello' });
    yt.say({ author: BEN_YOUTUBE, text: '!hello' });
    await irc.until(() => youtubeSaid().includes('hi BenYT'), { timeoutMs: WAIT_MS, message: 'hi BenYT on YouTube' });
    await t.kernel.idle();
    expect(youtubeSaid().slice(2)).toEqual(['hi BenYT']);
    expect(t.events.of('chat.message').filter((m) => m.text === '!hello').map((m) => m.platform)).toEqual(['twitch', 'youtube', 'youtube']);

    // 5. One vote: Anna votes red on Twitch, then blue on YouTube — one ballot, changed; Ben votes blue.
    irc.say('daniel', MOD, '!poll');
    await t.events.waitFor('poll.opened', undefined, WAIT_MS);
    irc.say('daniel', ANNA_TWITCH, '!vote 1');
    await t.events.waitFor('poll.vote', (v) => v.platform === 'twitch', WAIT_MS);
    yt.say({ author: ANNA_YOUTUBE, text: '!vote 2' });
    const annaOnYouTube = await t.events.waitFor('poll.vote', (v) => v.platform === 'youtube', WAIT_MS);
    expect(annaOnYouTube).toMatchObject({ option: 'blue', previousOption: 'red' });
    yt.say({ author: BEN_YOUTUBE, text: '!vote 2' });
    await t.events.waitFor('poll.vote', (v) => v.platform === 'youtube' && v.previousOption === undefined, WAIT_MS);
    irc.say('daniel', MOD, '!endpoll');
    await t.events.waitFor('poll.closed', undefined, WAIT_MS);
    const [poll] = t.kernel.resolve(engagementRef).polls('daniel');
    expect(poll).toMatchObject({ question: 'Best color?', status: 'closed', counts: [0, 2] });

    // 6. Nothing of the link in any export file: no account id, no person, no identity namespace. The
    //    code itself is in no public file (the dashboard-only chat window shows chat as typed, the code with it).
    await t.stop();
    const files = filesUnder(dataDir);
    expect(files.size).toBeGreaterThan(3);
    expect([...files.keys()].some((name) => name.includes('poll'))).toBe(true);
    const never = [ANNA_TWITCH.userId!, ANNA_YOUTUBE.channelId!, BEN_YOUTUBE.channelId!, MALLORY_YOUTUBE.channelId!, person.slice('person:'.length), 'identity.links', 'identity.codes'];
    for (const [name, text] of files) for (const secret of never) expect(text.includes(secret), `${name} contains ${secret}`).toBe(false);
    const isPublic = (text: string) => (JSON.parse(text) as { meta?: { visibility?: string } }).meta?.visibility === 'public';
    const publicFiles = [...files].filter(([name, text]) => name.endsWith('.json') && isPublic(text));
    expect(publicFiles.length).toBeGreaterThan(0);
    for (const [name, text] of publicFiles) expect(text.includes(code), `${name} contains the code`).toBe(false);
  }, 60_000);

  it('a restart keeps pending codes, their target and links (SQLite store): the code asked before the restart links its account after it, and stays used', async () => {
    // Run 1: Anna asks on Twitch, then the process stops.
    const first = await startWorld();
    const { irc, yt, dataDir } = first;
    irc.say('daniel', ANNA_TWITCH, '!link youtube AnnaYT');
    await irc.until(() => irc.sentMessages('daniel').some((m) => m.text.includes('your link code is')), { timeoutMs: WAIT_MS, message: 'the code on Twitch' });
    const code = /your link code is ([A-Z0-9]{6}):/.exec(irc.sentMessages('daniel').at(-1)!.text)![1]!;
    await first.t.stop();

    // Run 2, same data dir: the code is still bound to AnnaYT (Mallory is refused), and typed by her it links.
    const second = await startWorld({ irc, yt, dataDir });
    yt.say({ author: MALLORY_YOUTUBE, text: `!link ${code}` });
    await irc.until(() => yt.inserted().length === 1, { timeoutMs: WAIT_MS, message: 'the refusal on YouTube' });
    expect(yt.inserted()[0]!.text).toBe('@Mallory that code is for AnnaYT on youtube.');
    yt.say({ author: ANNA_YOUTUBE, text: `!link ${code}` });
    await irc.until(() => yt.inserted().some((m) => m.text.includes('linked:')), { timeoutMs: WAIT_MS, message: 'the confirmation on YouTube' });
    await second.t.stop();

    // Run 3: the link is still there, and the code is remembered as used.
    const third = await startTestKernel({ plugins: [storeSqlitePlugin], manifest: { dataDir, creators: {} } });
    const identity = third.kernel.resolve(identityMapRef);
    const person = identity.personOf({ platform: 'twitch', userId: ANNA_TWITCH.userId! });
    expect(person).toMatch(/^chat-/);
    expect(identity.accounts(person!).map((a) => `${a.platform}:${a.userId}`)).toEqual([`twitch:${ANNA_TWITCH.userId}`, `youtube:${ANNA_YOUTUBE.channelId}`]);
    const stored = await third.kernel.resolve(stateStoreRef).get<{ usedAt?: number; wrongTries?: number; target?: unknown }>('identity.codes', code);
    expect(stored).toMatchObject({ usedAt: expect.any(Number), wrongTries: 1, target: { platform: 'youtube', name: 'AnnaYT' } });
    await third.stop();
  }, 60_000);
});
