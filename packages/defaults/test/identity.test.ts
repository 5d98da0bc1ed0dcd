import {
  actionDispatcherRef,
  createKernel,
  definePlugin,
  identityMapRef,
  ManualClock,
  stateStoreRef,
  type ManifestIssue,
  type StateStore,
} from '@streamsuites/kernel';
import { describe, expect, it } from 'vitest';
import { LogCapture } from '@streamsuites/kernel/testing';
import { CODE_ALPHABET, CODES_NAMESPACE, IDENTITY_NAMESPACE, StoredIdentityMap, withDefaults } from '../src/index.js';
import { chat, MapStateStore } from './helpers/chat.js';
import { startTestKernel } from './helpers/kernel.js';

/*
 * One identity across platforms, in the default plugins: the operator's
 * `identities` section, the viewer's `!link` flow on the chat bus (answered
 * through the action dispatcher's chat.reply), and user cooldowns keyed on
 * the person. Chat goes straight onto the bus here; the same flow over the
 * local Twitch and YouTube servers is tested in plugin-engagement
 * (identity-platforms.test.ts).
 */

const T0 = Date.UTC(2026, 11, 5, 12);

/** Records every chat.reply (any platform) as "<creator>/<platform>: <text>". */
function replyRecorder() {
  const replies: string[] = [];
  const plugin = definePlugin({
    id: 'replies',
    version: '1.0.0',
    kernel: '^0.1.0',
    register(reg) {
      reg.onInit({
        deps: { actions: actionDispatcherRef },
        init({ deps }) {
          deps.actions.registerHandler({ type: 'chat.reply', handle: (params, ctx) => void replies.push(`${ctx.creatorId}/${ctx.message?.platform}: ${String(params.text)}`) });
        },
      });
    },
  });
  return { plugin, replies };
}

interface KernelOptions {
  link?: Record<string, unknown>;
  identities?: Record<string, unknown>;
  store?: StateStore;
  clock?: ManualClock;
  creators?: Record<string, Record<string, unknown>>;
}

async function kernelWith(options: KernelOptions = {}) {
  const { plugin, replies } = replyRecorder();
  const clock = options.clock ?? new ManualClock(T0);
  const store = options.store ?? new MapStateStore();
  const creators = Object.fromEntries(Object.entries(options.creators ?? { alice: {} }).map(([id, extra]) => [id, { enable: ['replies'], ...extra }]));
  const manifest = (identities: Record<string, unknown> | undefined) => ({
    ...(identities === undefined ? {} : { identities }),
    plugins: { identity: { config: options.link === undefined ? {} : { link: options.link } } },
    creators,
  });
  const t = await startTestKernel({ plugins: [plugin], clock, services: [{ ref: stateStoreRef, factory: () => store }], manifest: manifest(options.identities) });
  // The default identity map (linkOf tells operator links from chat links).
  const map = t.kernel.resolve(identityMapRef) as StoredIdentityMap;
  expect(map).toBeInstanceOf(StoredIdentityMap);
  /** One chat message from `<platform>:<userId>`, answered before it resolves. */
  const say = async (from: string, text: string, creatorId = 'alice') => {
    const [platform, userId] = from.split(':') as [string, string];
    t.bus.emit('chat.message', chat(text, { creatorId, platform, receivedAt: clock.now(), author: { id: userId, login: `login_${userId}`, displayName: `Name${userId}`, roles: [] } }));
    await t.kernel.idle();
  };
  /** Several messages onto the bus at once (no wait between them), answered before it resolves. */
  const sayAtOnce = async (...lines: [from: string, text: string][]) => {
    for (const [from, text] of lines) {
      const [platform, userId] = from.split(':') as [string, string];
      t.bus.emit('chat.message', chat(text, { creatorId: 'alice', platform, receivedAt: clock.now(), author: { id: userId, login: `login_${userId}`, displayName: `Name${userId}`, roles: [] } }));
    }
    await t.kernel.idle();
  };
  /** The code of the last reply that handed one out. */
  const lastCode = () => {
    const code = [...replies].reverse().map((r) => /your link code is ([A-Z0-9]+):/.exec(r)?.[1]).find((c) => c !== undefined);
    if (code === undefined) throw new Error(`no code in ${JSON.stringify(replies)}`);
    return code;
  };
  const codeLines = () => t.logs.lines.flatMap((e) => (typeof e.code === 'string' && e.code.startsWith('SS_ERR_IDENTITY') ? [e.code] : []));
  return { t, replies, clock, store, map, say, sayAtOnce, lastCode, codeLines, manifest };
}

const LINK_ON = { enabled: true };

/** The coded error a kernel start rejected with (undefined when it started). */
async function rejection(start: Promise<unknown>): Promise<{ code: string; details: { issues: ManifestIssue[] } } | undefined> {
  return start.then(
    () => undefined,
    (e: unknown) => e as { code: string; details: { issues: ManifestIssue[] } },
  );
}

describe('operator links: the identities section', () => {
  it('links the listed accounts at start; a later run drops the operator links it no longer lists and keeps chat links', async () => {
    const store = new MapStateStore();
    const first = await kernelWith({
      store,
      link: LINK_ON,
      identities: { anna: { accounts: ['twitch:111', 'youtube:UCanna'], displayName: 'Anna' }, ben: { accounts: ['twitch:222', 'rumble:benr'] } },
    });
    expect(first.map.personKey('twitch', '111')).toBe('person:anna');
    expect(first.map.personKey('youtube', 'UCanna')).toBe('person:anna');
    expect(first.map.personKey('rumble', 'benr')).toBe('person:ben');
    expect(first.map.personKey('twitch', '999')).toBe('twitch:999');
    expect(first.map.accounts('anna').map((a) => [a.platform, a.userId, a.source])).toEqual([
      ['twitch', '111', 'operator'],
      ['youtube', 'UCanna', 'operator'],
    ]);
    // A viewer links two accounts from chat meanwhile.
    await first.say('twitch:333', '!link');
    await first.say('youtube:UCcy', `!link ${first.lastCode()}`);
    const cy = first.map.personOf({ platform: 'twitch', userId: '333' });
    expect(cy).toMatch(/^chat-[a-z2-9]{12}$/);
    await first.t.stop();

    // The operator moves youtube:UCanna to ben, drops anna's twitch account, and claims the chat-linked twitch:333.
    const second = await kernelWith({ store, identities: { ben: { accounts: ['twitch:222', 'rumble:benr', 'youtube:UCanna', 'twitch:333'] } } });
    expect(second.map.personKey('twitch', '111')).toBe('twitch:111');
    expect(second.map.personKey('youtube', 'UCanna')).toBe('person:ben');
    expect(second.map.linkOf({ platform: 'twitch', userId: '333' })).toMatchObject({ personId: 'ben', source: 'operator' });
    expect(second.map.linkOf({ platform: 'youtube', userId: 'UCcy' })).toMatchObject({ personId: cy, source: 'chat' });
    expect([...store.data.keys()].filter((k) => k.startsWith(`${IDENTITY_NAMESPACE}\u0000`)).length).toBe(5);
    expect(second.t.logs.text()).toContain('identity: operator links applied');
  });

  it('a reload that changes identities applies the new operator links at once; chat links stay', async () => {
    const { t, map, say, lastCode, manifest } = await kernelWith({ link: LINK_ON, identities: { anna: { accounts: ['twitch:111', 'youtube:UCanna'] } } });
    await say('twitch:1', '!link');
    await say('youtube:UCone', `!link ${lastCode()}`);
    const chatPerson = map.personOf({ platform: 'twitch', userId: '1' });
    await t.kernel.reload(manifest({ anna: { accounts: ['twitch:111', 'rumble:annar'] } }));
    expect(map.personKey('youtube', 'UCanna')).toBe('youtube:UCanna');
    expect(map.personKey('rumble', 'annar')).toBe('person:anna');
    expect(map.personKey('youtube', 'UCone')).toBe(`person:${chatPerson}`);
    // A reload with a broken section is rejected whole: the links stay as they are.
    await expect(t.kernel.reload(manifest({ anna: { accounts: ['twitch:111'] }, bob: { accounts: ['twitch:111'] } }))).rejects.toMatchObject({
      details: { issues: [expect.objectContaining({ code: 'SS_ERR_IDENTITY_ACCOUNT_DUPLICATE', path: '/identities/bob/accounts/0' })] },
    });
    expect(map.personKey('rumble', 'annar')).toBe('person:anna');
  });

  it('a malformed section reports all its problems at once, each at its path', async () => {
    const error = await rejection(kernelWith({
      identities: {
        Anna: { accounts: ['twitch:1'] },
        bob: { acounts: ['twitch:2'], accounts: ['twitch', 'youtube:UC b', 'rumble:x', 'rumble:x'], displayName: '' },
        cy: { accounts: [] },
      },
      link: { enabled: 'yes', comand: '!x', codeTtlSec: 5 },
    }));
    expect(error?.code).toBe('SS_ERR_MANIFEST_INVALID');
    const issues = error!.details.issues.map((i) => [i.code, i.path]);
    expect(issues).toEqual(
      expect.arrayContaining([
        ['SS_ERR_MANIFEST_SCHEMA', '/identities/Anna'],
        ['SS_ERR_MANIFEST_UNKNOWN_KEY', '/identities/bob/acounts'],
        ['SS_ERR_MANIFEST_SCHEMA', '/identities/bob/accounts/0'],
        ['SS_ERR_MANIFEST_SCHEMA', '/identities/bob/accounts/1'],
        ['SS_ERR_MANIFEST_SCHEMA', '/identities/bob/accounts'],
        ['SS_ERR_MANIFEST_SCHEMA', '/identities/bob/displayName'],
        ['SS_ERR_MANIFEST_SCHEMA', '/identities/cy/accounts'],
        ['SS_ERR_MANIFEST_UNKNOWN_KEY', '/plugins/identity/config/link/comand'],
        ['SS_ERR_CONFIG_INVALID', '/plugins/identity/config/link/enabled'],
        ['SS_ERR_CONFIG_INVALID', '/plugins/identity/config/link/codeTtlSec'],
      ]),
    );
    const byPath = new Map(error!.details.issues.map((i) => [i.path, i]));
    expect(byPath.get('/identities/bob/acounts')!.hint).toContain('Did you mean "accounts"?');
    expect(byPath.get('/plugins/identity/config/link/comand')!.hint).toContain('Did you mean "command"?');
    expect(byPath.get('/identities/bob/accounts/0')!.hint).toContain('"<platform>:<user id>"');
  });

  it('one account in two persons is SS_ERR_IDENTITY_ACCOUNT_DUPLICATE naming both paths', async () => {
    const error = await rejection(kernelWith({ identities: { anna: { accounts: ['twitch:1', 'youtube:UC1'] }, bob: { accounts: ['youtube:UC2', 'twitch:1'] } } }));
    expect(error!.details.issues).toEqual([
      {
        code: 'SS_ERR_IDENTITY_ACCOUNT_DUPLICATE',
        path: '/identities/bob/accounts/1',
        message: 'Account "twitch:1" is linked to two persons: at /identities/anna/accounts/0 and at /identities/bob/accounts/1',
        hint: expect.stringContaining('remove it from one of the two "accounts" lists'),
      },
    ]);
  });

  it('link.creators naming an unknown creator is SS_ERR_IDENTITY_LINK_CREATOR_UNKNOWN', async () => {
    const error = await rejection(kernelWith({ link: { enabled: true, creators: ['alice', 'alicia'] } }));
    expect(error!.details.issues.map((i) => [i.code, i.path])).toEqual([['SS_ERR_IDENTITY_LINK_CREATOR_UNKNOWN', '/plugins/identity/config/link/creators/1']]);
  });
});

describe('the !link flow from chat', () => {
  it('is off by default: no reply, no code', async () => {
    const { say, replies, store } = await kernelWith();
    await say('twitch:1', '!link');
    expect(replies).toEqual([]);
    expect(await store.entries(CODES_NAMESPACE)).toEqual([]);
  });

  it('!link answers with a one-time code; !link CODE from another platform makes both accounts one person', async () => {
    const { t, say, replies, map, store, lastCode } = await kernelWith({ link: LINK_ON });
    await say('twitch:1', '!link');
    const code = lastCode();
    expect(code).toHaveLength(6);
    expect([...code].every((c) => CODE_ALPHABET.includes(c))).toBe(true);
    expect(replies).toEqual([`alice/twitch: @Name1 your link code is ${code}: type "!link ${code}" from your account on another platform within 10 minutes.`]);
    // Stored before it was shown (a restart keeps it), bound to the account that asked.
    expect(await store.get(CODES_NAMESPACE, code)).toMatchObject({ platform: 'twitch', userId: '1', creatorId: 'alice', expiresAt: T0 + 600_000 });

    await say('youtube:UCone', `!link ${code.toLowerCase()}`);
    expect(replies[1]).toBe('alice/youtube: @NameUCone linked: this account and your twitch account now count as one viewer. "!unlink" undoes it.');
    const person = map.personOf({ platform: 'twitch', userId: '1' });
    expect(person).toBeDefined();
    expect(map.personKey('youtube', 'UCone')).toBe(`person:${person}`);
    expect(map.personKey('twitch', '1')).toBe(`person:${person}`);
    expect(map.accounts(person!).map((a) => `${a.platform}:${a.userId}:${a.source}`)).toEqual(['twitch:1:chat', 'youtube:UCone:chat']);
    // The event names the person and the platforms, never an account.
    const [linked] = t.events.of('identity.linked');
    expect(linked).toEqual({ creatorId: 'alice', personId: person, platforms: ['twitch', 'youtube'], source: 'chat', at: T0 });
    expect(JSON.stringify(linked)).not.toMatch(/UCone|"1"/);
    // No log line carries the code.
    expect(t.logs.text()).not.toContain(code);
  });

  it('a reused code, an unknown code and a code from the account that asked get a clear reply and a coded log line', async () => {
    const { say, replies, map, lastCode, codeLines } = await kernelWith({ link: LINK_ON });
    await say('twitch:1', '!link');
    const code = lastCode();
    await say('twitch:1', `!link ${code}`);
    expect(replies.at(-1)).toBe('alice/twitch: @Name1 type this code from your other account, on the other platform.');
    await say('youtube:UCone', `!link ${code}`); // the code still works for the other account
    expect(replies.at(-1)).toContain('linked:');
    await say('rumble:intruder', `!link ${code}`);
    expect(replies.at(-1)).toBe('alice/rumble: @Nameintruder that link code was already used. Type "!link" on your other account for a new one.');
    await say('rumble:intruder', '!link ZZZZZZ');
    expect(replies.at(-1)).toBe('alice/rumble: @Nameintruder that link code is not valid. Type "!link" on your other account for a new one.');
    expect(map.personOf({ platform: 'rumble', userId: 'intruder' })).toBeUndefined();
    expect(codeLines()).toEqual(['SS_ERR_IDENTITY_CODE_SAME_ACCOUNT', 'SS_ERR_IDENTITY_CODE_USED', 'SS_ERR_IDENTITY_CODE_UNKNOWN']);
  });

  it('a code expires on the kernel clock; asking again withdraws the earlier code', async () => {
    const { say, replies, map, clock, lastCode, codeLines } = await kernelWith({ link: { enabled: true, codeTtlSec: 120 } });
    await say('twitch:1', '!link');
    expect(replies.at(-1)).toContain('within 2 minutes');
    const first = lastCode();
    clock.advance(120_000);
    await say('youtube:UCone', `!link ${first}`);
    expect(replies.at(-1)).toBe('alice/youtube: @NameUCone that link code expired. Type "!link" on your other account for a new one.');
    expect(map.personOf({ platform: 'youtube', userId: 'UCone' })).toBeUndefined();

    await say('twitch:1', '!link');
    const second = lastCode();
    await say('twitch:1', '!link');
    const third = lastCode();
    expect(new Set([first, second, third]).size).toBe(3);
    await say('youtube:UCone', `!link ${second}`);
    expect(replies.at(-1)).toContain('not valid');
    clock.advance(119_000);
    await say('youtube:UCone', `!link ${third}`);
    expect(replies.at(-1)).toContain('linked:');
    expect(codeLines()).toEqual(['SS_ERR_IDENTITY_CODE_EXPIRED', 'SS_ERR_IDENTITY_CODE_UNKNOWN']);
  });

  it('races: two accounts typing one code at once link one of them; two requests at once leave one valid code', async () => {
    const { say, sayAtOnce, replies, map, lastCode, store } = await kernelWith({ link: LINK_ON });
    await say('twitch:1', '!link');
    const code = lastCode();
    await sayAtOnce(['youtube:UCone', `!link ${code}`], ['rumble:intruder', `!link ${code}`]);
    // The refusal may be answered first (no store write before it).
    expect(replies.slice(-2).sort()).toEqual([
      'alice/rumble: @Nameintruder that link code was already used. Type "!link" on your other account for a new one.',
      expect.stringMatching(/^alice\/youtube: @NameUCone linked:/),
    ]);
    expect(map.personOf({ platform: 'rumble', userId: 'intruder' })).toBeUndefined();

    await sayAtOnce(['twitch:2', '!link'], ['twitch:2', '!link']);
    const codes = replies.slice(-2).map((r) => /your link code is ([A-Z0-9]+):/.exec(r)![1]!);
    expect(new Set(codes).size).toBe(2);
    // One of them is stored (a restart brings back no withdrawn code), and only that one links.
    const stored = (await store.entries<{ userId: string }>(CODES_NAMESPACE)).filter(([, p]) => p.userId === '2').map(([c]) => c);
    expect(stored).toHaveLength(1);
    const [valid, withdrawn] = codes[0] === stored[0] ? [codes[0]!, codes[1]!] : [codes[1]!, codes[0]!];
    expect(valid).toBe(stored[0]);
    await say('youtube:UCtwo', `!link ${withdrawn}`);
    expect(replies.at(-1)).toContain('not valid');
    await say('youtube:UCtwo', `!link ${valid}`);
    expect(replies.at(-1)).toContain('linked:');
  });

  it('code requests are rate-limited per account', async () => {
    const { say, replies, clock, codeLines } = await kernelWith({ link: { enabled: true, maxCodesPerAccount: 2, rateWindowSec: 60 } });
    await say('twitch:1', '!link');
    await say('twitch:1', '!link');
    await say('twitch:1', '!link');
    expect(replies.at(-1)).toBe('alice/twitch: @Name1 you asked for too many link codes; try again later.');
    await say('twitch:2', '!link'); // another account is not limited
    expect(replies.at(-1)).toContain('your link code is');
    clock.advance(60_001);
    await say('twitch:1', '!link');
    expect(replies.at(-1)).toContain('your link code is');
    expect(codeLines()).toEqual(['SS_ERR_IDENTITY_CODE_RATE_LIMITED']);
  });

  it('!unlink leaves the person; an operator link cannot be undone from chat', async () => {
    const { say, replies, map, lastCode, codeLines, t } = await kernelWith({ link: LINK_ON, identities: { anna: { accounts: ['twitch:111', 'youtube:UCanna'] } } });
    await say('twitch:1', '!link');
    await say('youtube:UCone', `!link ${lastCode()}`);
    await say('youtube:UCone', '!unlink');
    expect(replies.at(-1)).toBe('alice/youtube: @NameUCone this account is no longer linked.');
    expect(map.personKey('youtube', 'UCone')).toBe('youtube:UCone');
    expect(t.events.of('identity.unlinked')).toHaveLength(1);
    await say('youtube:UCone', '!unlink');
    expect(replies.at(-1)).toBe('alice/youtube: @NameUCone this account is not linked.');
    await say('twitch:111', '!unlink');
    expect(replies.at(-1)).toBe("alice/twitch: @Name111 the channel's operator linked this account; ask them to change it.");
    expect(map.personKey('twitch', '111')).toBe('person:anna');
    expect(codeLines()).toEqual(['SS_ERR_IDENTITY_LINK_CONFLICT']);
  });

  it("a code joins the operator's person; two operator persons are not merged from chat", async () => {
    const { say, replies, map, lastCode } = await kernelWith({ link: LINK_ON, identities: { anna: { accounts: ['twitch:111'] }, ben: { accounts: ['youtube:UCben'] } } });
    await say('rumble:annar', '!link');
    await say('twitch:111', `!link ${lastCode()}`);
    expect(map.personKey('rumble', 'annar')).toBe('person:anna');
    await say('twitch:111', '!link');
    await say('youtube:UCben', `!link ${lastCode()}`);
    expect(replies.at(-1)).toBe("alice/youtube: @NameUCben these accounts are linked by the channel's operator; ask them to change it.");
    expect(map.personKey('youtube', 'UCben')).toBe('person:ben');
  });

  it('never runs in a replay (no code, no reply), while the operator links apply there too', async () => {
    const store = new MapStateStore();
    const kernel = await createKernel(
      withDefaults({
        manifest: { identities: { anna: { accounts: ['twitch:111'] } }, plugins: { identity: { config: { link: { enabled: true } } } }, creators: { alice: { enable: [] } } },
        services: [{ ref: stateStoreRef, factory: () => store }],
        mode: 'replay',
        clock: new ManualClock(T0),
        logDestination: new LogCapture(),
      }),
    );
    await kernel.start();
    const dispatched: string[] = [];
    kernel.bus.on('action.dispatched', (record) => void dispatched.push(record.action.type));
    kernel.bus.emit('chat.message', chat('!link', { author: { id: '1', login: 'one', displayName: 'One', roles: [] } }));
    await kernel.idle();
    expect(dispatched).toEqual([]);
    expect(await store.entries(CODES_NAMESPACE)).toEqual([]);
    expect(kernel.resolve(identityMapRef).personKey('twitch', '111')).toBe('person:anna');
    await kernel.stop();
  });

  it('runs only in the chat of the creators link.creators lists', async () => {
    const { say, replies } = await kernelWith({ link: { enabled: true, creators: ['bob'] }, creators: { alice: {}, bob: {} } });
    await say('twitch:1', '!link', 'alice');
    expect(replies).toEqual([]);
    await say('twitch:1', '!link', 'bob');
    expect(replies).toEqual([expect.stringMatching(/^bob\/twitch: @Name1 your link code is/)]);
  });
});

describe('user cooldowns key on the person', () => {
  it('a linked viewer shares one user cooldown across platforms; an unlinked account keeps its own', async () => {
    const hello = { id: 'hello', type: 'command', params: { command: '!hello' }, cooldown: { user: '30s' }, actions: [{ type: 'chat.reply', params: { text: 'hi {user}' } }] };
    const { say, replies, lastCode } = await kernelWith({ link: LINK_ON, creators: { alice: { triggers: [hello] } } });
    await say('twitch:1', '!link');
    await say('youtube:UCone', `!link ${lastCode()}`);
    replies.length = 0;
    await say('twitch:1', '!hello');
    await say('youtube:UCone', '!hello'); // the same person, within 30 s
    await say('youtube:UCtwo', '!hello');
    expect(replies).toEqual(['alice/twitch: hi Name1', 'alice/youtube: hi NameUCtwo']);
  });
});
