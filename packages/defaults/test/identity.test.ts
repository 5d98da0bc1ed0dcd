import {
  createKernel,
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
import { handlersPlugin } from './helpers/handlers.js';

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
  const plugin = handlersPlugin('replies', [{ type: 'chat.reply', handle: (params, ctx) => void replies.push(`${ctx.creatorId}/${ctx.message?.platform}: ${String(params.text)}`) }]);
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
  /** One chat message from `<platform>:<userId>` (login `login_<userId>`, display name `Name<userId>` unless `names` says), answered before it resolves. */
  const say = async (from: string, text: string, creatorId = 'alice', names: { login?: string; displayName?: string } = {}) => {
    const [platform, userId] = from.split(':') as [string, string];
    const author = { id: userId, login: `login_${userId}`, displayName: `Name${userId}`, ...names, roles: [] };
    t.bus.emit('chat.message', chat(text, { creatorId, platform, receivedAt: clock.now(), author }));
    await t.kernel.idle();
  };
  /** Several messages onto the bus at once (no wait between them), answered before it resolves. */
  const sayAtOnce = async (...lines: [from: string, text: string, displayName?: string][]) => {
    for (const [from, text, displayName] of lines) {
      const [platform, userId] = from.split(':') as [string, string];
      t.bus.emit('chat.message', chat(text, { creatorId: 'alice', platform, receivedAt: clock.now(), author: { id: userId, login: `login_${userId}`, displayName: displayName ?? `Name${userId}`, roles: [] } }));
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
    await first.say('twitch:333', '!link youtube NameUCcy');
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
    await say('twitch:1', '!link youtube NameUCone');
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
    await say('twitch:1', '!link youtube anna');
    await say('twitch:1', '!link');
    expect(replies).toEqual([]);
    expect(await store.entries(CODES_NAMESPACE)).toEqual([]);
  });

  it('!link <platform> <name> answers with a one-time code for that account; !link CODE from it makes both accounts one person', async () => {
    const { t, say, replies, map, store, lastCode } = await kernelWith({ link: LINK_ON });
    await say('twitch:1', '!link YouTube NameUCone');
    const code = lastCode();
    expect(code).toHaveLength(6);
    expect([...code].every((c) => CODE_ALPHABET.includes(c))).toBe(true);
    expect(replies).toEqual([`alice/twitch: @Name1 your link code is ${code}: type "!link ${code}" from NameUCone on youtube within 10 minutes.`]);
    // Stored before it was shown (a restart keeps it), bound to the account that asked and to the account it is for.
    expect(await store.get(CODES_NAMESPACE, code)).toEqual({
      platform: 'twitch',
      userId: '1',
      askerName: 'Name1',
      target: { platform: 'youtube', name: 'NameUCone' },
      creatorId: 'alice',
      issuedAt: T0,
      expiresAt: T0 + 600_000,
    });

    await say('youtube:UCone', `!link ${code.toLowerCase()}`);
    expect(replies[1]).toBe('alice/youtube: @NameUCone linked: NameUCone on youtube and Name1 on twitch now count as one viewer. "!unlink" undoes it.');
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
    await say('twitch:1', '!link youtube NameUCone');
    const code = lastCode();
    await say('twitch:1', `!link ${code}`);
    expect(replies.at(-1)).toBe('alice/twitch: @Name1 type this code from NameUCone on youtube, not from this account.');
    await say('youtube:UCone', `!link ${code}`); // the code still works for the other account
    expect(replies.at(-1)).toContain('linked:');
    await say('rumble:intruder', `!link ${code}`);
    expect(replies.at(-1)).toBe('alice/rumble: @Nameintruder that link code was already used. Type "!link <platform> <name>" on your other account for a new one.');
    await say('rumble:intruder', '!link ZZZZZZ');
    expect(replies.at(-1)).toBe('alice/rumble: @Nameintruder that link code is not valid. Type "!link <platform> <name>" on your other account for a new one.');
    expect(map.personOf({ platform: 'rumble', userId: 'intruder' })).toBeUndefined();
    expect(codeLines()).toEqual(['SS_ERR_IDENTITY_CODE_SAME_ACCOUNT', 'SS_ERR_IDENTITY_CODE_USED', 'SS_ERR_IDENTITY_CODE_UNKNOWN']);
  });

  it('a code expires on the kernel clock; asking again withdraws the earlier code', async () => {
    const { say, replies, map, clock, lastCode, codeLines } = await kernelWith({ link: { enabled: true, codeTtlSec: 120 } });
    await say('twitch:1', '!link youtube NameUCone');
    expect(replies.at(-1)).toContain('within 2 minutes');
    const first = lastCode();
    clock.advance(120_000);
    await say('youtube:UCone', `!link ${first}`);
    expect(replies.at(-1)).toBe('alice/youtube: @NameUCone that link code expired. Type "!link <platform> <name>" on your other account for a new one.');
    expect(map.personOf({ platform: 'youtube', userId: 'UCone' })).toBeUndefined();

    await say('twitch:1', '!link youtube NameUCone');
    const second = lastCode();
    await say('twitch:1', '!link youtube NameUCone');
    const third = lastCode();
    expect(new Set([first, second, third]).size).toBe(3);
    await say('youtube:UCone', `!link ${second}`);
    expect(replies.at(-1)).toContain('not valid');
    clock.advance(119_000);
    await say('youtube:UCone', `!link ${third}`);
    expect(replies.at(-1)).toContain('linked:');
    expect(codeLines()).toEqual(['SS_ERR_IDENTITY_CODE_EXPIRED', 'SS_ERR_IDENTITY_CODE_UNKNOWN']);
  });

  it('races: two accounts of the named name typing one code at once link one of them; two requests at once leave one valid code', async () => {
    const { say, sayAtOnce, replies, map, lastCode, store } = await kernelWith({ link: LINK_ON });
    await say('twitch:1', '!link youtube NameUCone');
    const code = lastCode();
    // A YouTube display name is not unique: a second channel showing the same name passes the name check, but only one links.
    await sayAtOnce(['youtube:UCone', `!link ${code}`], ['youtube:UCclone', `!link ${code}`, 'NameUCone']);
    // The refusal may be answered first (no store write before it).
    expect(replies.slice(-2).sort()).toEqual([
      'alice/youtube: @NameUCone linked: NameUCone on youtube and Name1 on twitch now count as one viewer. "!unlink" undoes it.',
      'alice/youtube: @NameUCone that link code was already used. Type "!link <platform> <name>" on your other account for a new one.',
    ]);
    expect(map.personOf({ platform: 'youtube', userId: 'UCone' })).toBe(map.personOf({ platform: 'twitch', userId: '1' }));
    expect(map.personOf({ platform: 'youtube', userId: 'UCclone' })).toBeUndefined();

    await sayAtOnce(['twitch:2', '!link youtube NameUCtwo'], ['twitch:2', '!link youtube NameUCtwo']);
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
    await say('twitch:1', '!link youtube anna');
    await say('twitch:1', '!link youtube anna');
    await say('twitch:1', '!link youtube anna');
    expect(replies.at(-1)).toBe('alice/twitch: @Name1 you asked for too many link codes; try again later.');
    await say('twitch:2', '!link youtube anna'); // another account is not limited
    expect(replies.at(-1)).toContain('your link code is');
    clock.advance(60_001);
    await say('twitch:1', '!link youtube anna');
    expect(replies.at(-1)).toContain('your link code is');
    expect(codeLines()).toEqual(['SS_ERR_IDENTITY_CODE_RATE_LIMITED']);
  });

  it('!unlink leaves the person; an operator link cannot be undone from chat', async () => {
    const { say, replies, map, lastCode, codeLines, t } = await kernelWith({ link: LINK_ON, identities: { anna: { accounts: ['twitch:111', 'youtube:UCanna'] } } });
    await say('twitch:1', '!link youtube NameUCone');
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
    await say('rumble:annar', '!link twitch login_111');
    await say('twitch:111', `!link ${lastCode()}`);
    expect(map.personKey('rumble', 'annar')).toBe('person:anna');
    await say('twitch:111', '!link youtube NameUCben');
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
    kernel.bus.emit('chat.message', chat('!link youtube Anna', { author: { id: '1', login: 'one', displayName: 'One', roles: [] } }));
    kernel.bus.emit('chat.message', chat('!link', { author: { id: '1', login: 'one', displayName: 'One', roles: [] } }));
    await kernel.idle();
    expect(dispatched).toEqual([]);
    expect(await store.entries(CODES_NAMESPACE)).toEqual([]);
    expect(kernel.resolve(identityMapRef).personKey('twitch', '111')).toBe('person:anna');
    await kernel.stop();
  });

  it('runs only in the chat of the creators link.creators lists', async () => {
    const { say, replies } = await kernelWith({ link: { enabled: true, creators: ['bob'] }, creators: { alice: {}, bob: {} } });
    await say('twitch:1', '!link youtube anna', 'alice');
    expect(replies).toEqual([]);
    await say('twitch:1', '!link youtube anna', 'bob');
    expect(replies).toEqual([expect.stringMatching(/^bob\/twitch: @Name1 your link code is/)]);
  });
});

describe('!link codes are bound to the account they are for', () => {
  it('the attack: a code read in public chat and typed first from another account is refused, stays valid, and the named account then links', async () => {
    const { t, say, replies, map, store, lastCode, codeLines } = await kernelWith({ link: LINK_ON });
    await say('twitch:1', '!link youtube NameUCone');
    const code = lastCode();
    // Someone watching Twitch chat types it first, from their own YouTube channel.
    await say('youtube:UCattacker', `!link ${code}`);
    expect(replies.at(-1)).toBe('alice/youtube: @NameUCattacker that code is for NameUCone on youtube.');
    expect(map.personOf({ platform: 'youtube', userId: 'UCattacker' })).toBeUndefined();
    expect(map.personOf({ platform: 'twitch', userId: '1' })).toBeUndefined();
    expect(t.events.of('identity.linked')).toEqual([]);
    // Not burnt: still pending in the store, one wrong try counted.
    expect(await store.get(CODES_NAMESPACE, code)).toMatchObject({ wrongTries: 1 });
    expect(await store.get<{ usedAt?: number }>(CODES_NAMESPACE, code).then((p) => p?.usedAt)).toBeUndefined();

    await say('youtube:UCone', `!link ${code}`);
    expect(replies.at(-1)).toBe('alice/youtube: @NameUCone linked: NameUCone on youtube and Name1 on twitch now count as one viewer. "!unlink" undoes it.');
    expect(map.personKey('youtube', 'UCone')).toBe(map.personKey('twitch', '1'));
    expect(map.personOf({ platform: 'youtube', userId: 'UCattacker' })).toBeUndefined();
    expect(codeLines()).toEqual(['SS_ERR_IDENTITY_CODE_WRONG_ACCOUNT']);
    // The refusal's log line names neither the code, the accounts nor the names.
    expect(t.logs.text()).not.toMatch(new RegExp(`${code}|UCattacker|UCone|NameUCone`));
  });

  it('the named name on another platform is refused: the code is for one platform', async () => {
    const { say, replies, map, lastCode, codeLines } = await kernelWith({ link: LINK_ON });
    await say('twitch:1', '!link youtube anna');
    const code = lastCode();
    await say('rumble:anna', `!link ${code}`, 'alice', { login: 'anna', displayName: 'anna' });
    expect(replies.at(-1)).toBe('alice/rumble: @anna that code is for anna on youtube.');
    await say('twitch:2', `!link ${code}`, 'alice', { login: 'anna', displayName: 'Anna' });
    expect(replies.at(-1)).toBe('alice/twitch: @Anna that code is for anna on youtube.');
    expect(map.personOf({ platform: 'rumble', userId: 'anna' })).toBeUndefined();
    expect(map.personOf({ platform: 'twitch', userId: '2' })).toBeUndefined();
    await say('youtube:UCanna', `!link ${code}`, 'alice', { login: 'UCanna', displayName: '@Anna' });
    expect(replies.at(-1)).toContain('linked: @Anna on youtube and Name1 on twitch');
    expect(codeLines()).toEqual(['SS_ERR_IDENTITY_CODE_WRONG_ACCOUNT', 'SS_ERR_IDENTITY_CODE_WRONG_ACCOUNT']);
  });

  it('the name matches the login or the display name, case-insensitively, spaces collapsed, a leading @ ignored', async () => {
    const { say, replies, map, lastCode } = await kernelWith({ link: LINK_ON });
    // A YouTube display name with spaces, typed with an @, other case and doubled spaces.
    await say('twitch:1', '!link youtube @anna  maria SMITH');
    expect(replies.at(-1)).toMatch(/from anna maria SMITH on youtube within 10 minutes\.$/);
    const code = lastCode();
    await say('youtube:UCother', `!link ${code}`, 'alice', { login: 'UCother', displayName: 'Anna Maria' });
    expect(replies.at(-1)).toBe('alice/youtube: @Anna Maria that code is for anna maria SMITH on youtube.');
    await say('youtube:UCanna', `!link ${code}`, 'alice', { login: 'UCanna', displayName: 'Anna Maria Smith' });
    expect(replies.at(-1)).toContain('linked: Anna Maria Smith on youtube and Name1 on twitch');
    expect(map.personKey('youtube', 'UCanna')).toBe(map.personKey('twitch', '1'));

    // A Twitch account by its login, whatever its (localized) display name.
    await say('youtube:UCben', '!link twitch @Ben_Plays');
    await say('twitch:7', `!link ${lastCode()}`, 'alice', { login: 'ben_plays', displayName: 'ベン' });
    expect(replies.at(-1)).toBe('alice/twitch: @ベン linked: ベン on twitch and NameUCben on youtube now count as one viewer. "!unlink" undoes it.');
    // A YouTube channel by its channel id (its login there).
    await say('twitch:8', '!link youtube ucCY0123');
    await say('youtube:UCcy0123', `!link ${lastCode()}`, 'alice', { login: 'UCcy0123', displayName: 'Cy' });
    expect(replies.at(-1)).toContain('linked: Cy on youtube');
  });

  it(`${5} tries from accounts a code is not for withdraw it; the named account is then told to ask again`, async () => {
    const { say, replies, map, store, lastCode, codeLines, t } = await kernelWith({ link: LINK_ON });
    await say('twitch:1', '!link youtube NameUCone');
    const code = lastCode();
    for (let i = 1; i <= 4; i++) {
      await say(`youtube:UCguess${i}`, `!link ${code}`);
      expect(replies.at(-1)).toBe(`alice/youtube: @NameUCguess${i} that code is for NameUCone on youtube.`);
    }
    await say('youtube:UCguess5', `!link ${code}`);
    expect(replies.at(-1)).toBe('alice/youtube: @NameUCguess5 that code is for NameUCone on youtube. Too many other accounts tried it: it is withdrawn.');
    expect(await store.get(CODES_NAMESPACE, code)).toMatchObject({ wrongTries: 5, withdrawnAt: T0 });
    await say('youtube:UCone', `!link ${code}`);
    expect(replies.at(-1)).toBe('alice/youtube: @NameUCone that link code was withdrawn: too many other accounts tried it. Type "!link <platform> <name>" on your other account for a new one.');
    expect(map.personOf({ platform: 'youtube', userId: 'UCone' })).toBeUndefined();
    expect(codeLines()).toEqual([...Array(5).fill('SS_ERR_IDENTITY_CODE_WRONG_ACCOUNT'), 'SS_ERR_IDENTITY_CODE_WITHDRAWN', 'SS_ERR_IDENTITY_CODE_WITHDRAWN']);
    expect(t.logs.lines.find((e) => e.code === 'SS_ERR_IDENTITY_CODE_WITHDRAWN')?.level).toBe(40);
    // A new code works.
    await say('twitch:1', '!link youtube NameUCone');
    await say('youtube:UCone', `!link ${lastCode()}`);
    expect(replies.at(-1)).toContain('linked:');
  });

  it('a restart keeps the target and the wrong tries; a stored code without a target is dropped as malformed', async () => {
    const store = new MapStateStore();
    const clock = new ManualClock(T0);
    const first = await kernelWith({ store, clock, link: LINK_ON });
    await first.say('twitch:1', '!link youtube NameUCone');
    const code = first.lastCode();
    await first.say('youtube:UCattacker', `!link ${code}`);
    await first.t.stop();
    // A code stored by the earlier flow (bound to its asker only): anyone could type it.
    await store.set(CODES_NAMESPACE, 'K7XM2P', { platform: 'twitch', userId: '9', creatorId: 'alice', issuedAt: T0, expiresAt: T0 + 600_000 });

    const second = await kernelWith({ store, clock, link: LINK_ON });
    expect(await store.get(CODES_NAMESPACE, 'K7XM2P')).toBeUndefined();
    await second.say('youtube:UCx', '!link K7XM2P');
    expect(second.replies.at(-1)).toContain('that link code is not valid.');
    await second.say('youtube:UCattacker2', `!link ${code}`);
    expect(second.replies.at(-1)).toBe('alice/youtube: @NameUCattacker2 that code is for NameUCone on youtube.');
    expect(await store.get(CODES_NAMESPACE, code)).toMatchObject({ wrongTries: 2, target: { platform: 'youtube', name: 'NameUCone' } });
    await second.say('youtube:UCone', `!link ${code}`);
    expect(second.replies.at(-1)).toBe('alice/youtube: @NameUCone linked: NameUCone on youtube and Name1 on twitch now count as one viewer. "!unlink" undoes it.');
  });

  it('!link alone or without a name answers how to use it; an unknown platform and naming oneself are refused; a second account on one platform is fine', async () => {
    const { say, replies, store, lastCode, codeLines } = await kernelWith({ link: LINK_ON });
    const usage = 'alice/twitch: @Name1 to link your accounts, type "!link <platform> <your name there>" (e.g. "!link youtube @anna"), then type the code you get from that account.';
    await say('twitch:1', '!link');
    expect(replies.at(-1)).toBe(usage);
    await say('twitch:1', '!link youtube');
    expect(replies.at(-1)).toBe(usage);
    await say('twitch:1', `!link you.tube anna`);
    expect(replies.at(-1)).toBe(usage);
    await say('twitch:1', `!link youtube ${'a'.repeat(101)}`);
    expect(replies.at(-1)).toBe(usage);
    await say('twitch:1', '!link twich anna');
    expect(replies.at(-1)).toBe('alice/twitch: @Name1 "twich" is not a platform here; name one of: twitch, youtube, rumble, kick, x, pilled, discord.');
    await say('twitch:1', '!link twitch @name1');
    expect(replies.at(-1)).toBe('alice/twitch: @Name1 name your other account (the one to link with this one), not this one.');
    expect(await store.entries(CODES_NAMESPACE)).toEqual([]);
    // A platform chat came from (a third-party plugin) may be named.
    await say('trovo:55', 'hello');
    await say('twitch:1', '!link trovo Name55');
    await say('trovo:55', `!link ${lastCode()}`);
    expect(replies.at(-1)).toContain('linked: Name55 on trovo and Name1 on twitch');
    // Two Twitch accounts of one viewer.
    await say('twitch:2', '!link twitch login_3');
    await say('twitch:3', `!link ${lastCode()}`);
    expect(replies.at(-1)).toContain('linked: Name3 on twitch and Name2 on twitch');
    expect(codeLines()).toEqual(['SS_ERR_IDENTITY_LINK_PLATFORM_UNKNOWN', 'SS_ERR_IDENTITY_CODE_SAME_ACCOUNT']);
  });
});

describe('user cooldowns key on the person', () => {
  it('a linked viewer shares one user cooldown across platforms; an unlinked account keeps its own', async () => {
    const hello = { id: 'hello', type: 'command', params: { command: '!hello' }, cooldown: { user: '30s' }, actions: [{ type: 'chat.reply', params: { text: 'hi {user}' } }] };
    const { say, replies, lastCode } = await kernelWith({ link: LINK_ON, creators: { alice: { triggers: [hello] } } });
    await say('twitch:1', '!link youtube NameUCone');
    await say('youtube:UCone', `!link ${lastCode()}`);
    replies.length = 0;
    await say('twitch:1', '!hello');
    await say('youtube:UCone', '!hello'); // the same person, within 30 s
    await say('youtube:UCtwo', '!hello');
    expect(replies).toEqual(['alice/twitch: hi Name1', 'alice/youtube: hi NameUCtwo']);
  });
});
