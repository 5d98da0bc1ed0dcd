import { describe, expect, it } from 'vitest';
import {
  createKernel,
  identityMapRef,
  stateStoreRef,
  StreamSuitesError,
  type ActionHandler,
  type ChatMessage,
} from '@streamsuites/kernel';
import { withDefaults } from '../src/index.js';
import { LogCapture } from '@streamsuites/kernel/testing';
import { chat, fakeClock, MapStateStore } from './helpers/chat.js';
import { startTestKernel } from './helpers/kernel.js';
import { handlersPlugin } from './helpers/handlers.js';

interface Call {
  type: string;
  platform: string | undefined;
  params: Record<string, unknown>;
  messageId: string | undefined;
}

/**
 * A chat platform as the rules see one: `local` can reply, delete and time
 * out; `bare` can only reply (like Rumble). Records every call.
 */
function platforms() {
  const calls: Call[] = [];
  const handler = (type: string, platform: string): ActionHandler => ({
    type,
    platform,
    handle: async (params, ctx) => void calls.push({ type, platform, params, messageId: ctx.message?.id }),
  });
  const plugin = handlersPlugin('local', [...['chat.reply', 'chat.delete', 'chat.timeout'].map((type) => handler(type, 'local')), handler('chat.reply', 'bare')]);
  return { plugin, calls, replies: () => calls.filter((c) => c.type === 'chat.reply').map((c) => c.params.text) };
}

const msg = (text: string, o: Partial<ChatMessage> & { user?: string; roles?: ('moderator' | 'broadcaster' | 'vip')[] } = {}) => chat(text, { platform: 'local', ...o });

describe('chatBehaviour: banned phrases', () => {
  it('delete, timeout and warn as written; whole words, any case; moderators exempt; regexes run on RE2', async () => {
    const p = platforms();
    const t = await startTestKernel({
      plugins: [p.plugin],
      manifest: {
        creators: {
          alice: {
            enable: ['local'],
            chatBehaviour: {
              bannedPhrases: [
                { phrase: 'buy followers', action: 'delete' },
                { phrase: 'scam', action: 'timeout', timeoutSec: 300, reason: 'scam link' },
                { regex: { pattern: 'bit\\.ly/\\w+' }, action: 'warn', warnText: '{user}, no short links' },
              ],
            },
          },
        },
      },
    });
    t.bus.emit('chat.message', msg('want to BUY   followers? no: Buy Followers cheap', { id: 'm1' }));
    t.bus.emit('chat.message', msg('a SCAM!', { id: 'm2', user: 'eve' }));
    t.bus.emit('chat.message', msg('see bit.ly/abc', { id: 'm3', user: 'bob' }));
    t.bus.emit('chat.message', msg('scammer and classy scamp, ascam', { id: 'm4' })); // not whole words
    t.bus.emit('chat.message', msg('this is a scam', { id: 'm5', roles: ['moderator'] })); // exempt
    await t.kernel.idle();
    expect(p.calls).toEqual([
      { type: 'chat.delete', platform: 'local', params: {}, messageId: 'm1' },
      { type: 'chat.timeout', platform: 'local', params: { seconds: 300, reason: 'scam link' }, messageId: 'm2' },
      { type: 'chat.reply', platform: 'local', params: { text: 'Bob, no short links' }, messageId: 'm3' },
    ]);
    await t.stop();
  });

  it('a message a banned phrase removes does not fire triggers; a warned one, an exempt one and clean chat do', async () => {
    const p = platforms();
    const t = await startTestKernel({
      plugins: [p.plugin],
      manifest: {
        creators: {
          alice: {
            enable: ['local'],
            chatBehaviour: { bannedPhrases: [{ phrase: 'buy followers', action: 'delete' }, { phrase: 'scam', action: 'timeout' }, { phrase: 'caps', action: 'warn' }] },
            triggers: [{ id: 'clip', type: 'command', params: { command: '!clip' }, actions: [{ type: 'chat.reply', params: { text: 'clipping' } }] }],
          },
        },
      },
    });
    t.bus.emit('chat.message', msg('!clip buy followers here', { id: 'm1' }));
    t.bus.emit('chat.message', msg('!clip this scam', { id: 'm2' }));
    t.bus.emit('chat.message', msg('!clip CAPS', { id: 'm3' }));
    t.bus.emit('chat.message', msg('!clip buy followers', { id: 'm4', roles: ['moderator'] }));
    t.bus.emit('chat.message', msg('!clip now', { id: 'm5' }));
    await t.kernel.idle();
    expect(t.events.of('trigger.fired').map((e) => e.messageId)).toEqual(['m3', 'm4', 'm5']);
    expect(p.calls.filter((c) => c.type !== 'chat.reply').map((c) => `${c.type}:${c.messageId}`)).toEqual(['chat.delete:m1', 'chat.timeout:m2']);
    await t.stop();
  });

  it('a platform without chat.delete gets a warning instead, reported once per creator and platform with a code', async () => {
    const p = platforms();
    const t = await startTestKernel({
      plugins: [p.plugin],
      manifest: { creators: { alice: { enable: ['local'], chatBehaviour: { bannedPhrases: [{ phrase: 'spam', action: 'delete' }] } } } },
    });
    for (let i = 0; i < 3; i++) t.bus.emit('chat.message', chat(`spam ${i}`, { platform: 'bare', id: `b${i}` }));
    t.bus.emit('chat.message', msg('spam here', { id: 'l1' }));
    await t.kernel.idle();
    expect(p.calls.map((c) => `${c.platform}:${c.type}:${c.messageId}`).sort()).toEqual(['bare:chat.reply:b0', 'bare:chat.reply:b1', 'bare:chat.reply:b2', 'local:chat.delete:l1']);
    expect(p.replies()).toEqual(['Viewer, please mind the chat rules.', 'Viewer, please mind the chat rules.', 'Viewer, please mind the chat rules.']);
    const warned = t.logs.lines.filter((l) => l.code === 'SS_ERR_RULES_MODERATION_UNSUPPORTED');
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatchObject({ platform: 'bare', action: 'chat.delete', creator: 'alice' });
    await t.stop();
  });
});

describe('chatBehaviour: greeting, auto-replies, rate limit', () => {
  it('greets a person once, across a restart (the state store remembers) and across linked accounts', async () => {
    const store = new MapStateStore();
    const manifest = {
      creators: { alice: { enable: ['local'], chatBehaviour: { firstTimeGreeting: { text: 'Welcome {user}!', platforms: ['local', 'bare'] } } } },
    };
    const services = [{ ref: stateStoreRef, factory: () => store }];
    const p = platforms();
    const first = await startTestKernel({ plugins: [p.plugin], manifest, services });
    // Ann on local and on bare is one person (linked through chat: the link is in the store too).
    await first.kernel.resolve(identityMapRef).link('ann', { platform: 'local', userId: 'id-ann' }, 'chat');
    await first.kernel.resolve(identityMapRef).link('ann', { platform: 'bare', userId: 'id-ann-bare' }, 'chat');
    first.bus.emit('chat.message', msg('hi', { user: 'ann' }));
    first.bus.emit('chat.message', msg('hi again', { user: 'ann' })); // at once: still one greeting
    await first.kernel.idle();
    first.bus.emit('chat.message', chat('hello from the other platform', { platform: 'bare', author: { id: 'id-ann-bare', login: 'ann_b', displayName: 'AnnB', roles: [] } }));
    first.bus.emit('chat.message', msg('hey', { user: 'bo' }));
    await first.kernel.idle();
    expect(p.replies()).toEqual(['Welcome Ann!', 'Welcome Bo!']);
    await first.stop();

    const q = platforms();
    const second = await startTestKernel({ plugins: [q.plugin], manifest, services });
    second.bus.emit('chat.message', msg('back', { user: 'ann' }));
    second.bus.emit('chat.message', msg('back', { user: 'bo' }));
    second.bus.emit('chat.message', msg('first time', { user: 'cy' }));
    await second.kernel.idle();
    expect(q.replies()).toEqual(['Welcome Cy!']);
    await second.stop();
  });

  it('auto-replies by command, keyword and regex; a cooldown holds a reply back until it passes', async () => {
    const clock = fakeClock();
    const p = platforms();
    const t = await startTestKernel({
      plugins: [p.plugin],
      clock,
      manifest: {
        creators: {
          alice: {
            enable: ['local'],
            chatBehaviour: {
              autoReplies: [
                { match: { command: '!discord' }, text: 'discord.gg/abc', cooldown: '30s' },
                { match: { keyword: 'schedule' }, text: 'Mon-Fri 8pm' },
                { match: { regex: { pattern: '^when.*live\\?$', flags: 'i' } }, text: '{user}: 8pm' },
              ],
            },
          },
        },
      },
    });
    const say = async (text: string) => {
      t.bus.emit('chat.message', msg(text));
      await t.kernel.idle();
    };
    await say('!DISCORD please');
    await say('!discord');
    clock.advance(29_000);
    await say('!discord');
    clock.advance(1_000);
    await say('!discord');
    await say("what's the schedule?");
    await say('schedules'); // not the whole word
    await say('When are you live?');
    expect(p.replies()).toEqual(['discord.gg/abc', 'discord.gg/abc', 'Mon-Fri 8pm', 'Viewer: 8pm']);
    await t.stop();
  });

  it('per-person rate limit: over N messages per window the action runs once per window, for the person across accounts', async () => {
    const clock = fakeClock();
    const p = platforms();
    const t = await startTestKernel({
      plugins: [p.plugin],
      clock,
      manifest: {
        creators: {
          alice: { enable: ['local'], chatBehaviour: { userRateLimit: { messages: 3, perSec: 10, action: 'timeout', timeoutSec: 30 } } },
        },
      },
    });
    await t.kernel.resolve(identityMapRef).link('dan', { platform: 'local', userId: 'id-dan' }, 'operator');
    await t.kernel.resolve(identityMapRef).link('dan', { platform: 'local', userId: 'id-dan2' }, 'operator');
    for (let i = 0; i < 2; i++) t.bus.emit('chat.message', msg(`m${i}`, { user: 'dan', id: `d${i}` }));
    for (let i = 2; i < 6; i++) t.bus.emit('chat.message', msg(`m${i}`, { user: 'dan2', id: `d${i}` }));
    t.bus.emit('chat.message', msg('hi', { user: 'mod', roles: ['moderator'] }));
    for (let i = 0; i < 5; i++) t.bus.emit('chat.message', msg(`x${i}`, { user: 'mod', roles: ['moderator'] }));
    await t.kernel.idle();
    expect(p.calls.map((c) => `${c.type}:${c.messageId}:${JSON.stringify(c.params)}`)).toEqual(['chat.timeout:d3:{"seconds":30,"reason":"chat rate limit"}']);
    clock.advance(10_001);
    for (let i = 6; i < 9; i++) t.bus.emit('chat.message', msg(`m${i}`, { user: 'dan', id: `d${i}` }));
    await t.kernel.idle();
    expect(p.calls).toHaveLength(1); // three in a fresh window are fine
    t.bus.emit('chat.message', msg('m9', { user: 'dan', id: 'd9' }));
    await t.kernel.idle();
    expect(p.calls.map((c) => c.messageId)).toEqual(['d3', 'd9']);
    await t.stop();
  });
});

describe('monetization', () => {
  const manifest = (match?: 'all') => ({
    monetization: { currency: 'USD', rates: { EUR: 1.1 }, bitsPerUnit: 100, rules: [{ kinds: ['superchat'], min: 1, actions: [{ type: 'chat.reply', params: { text: 'top-level default' } }] }] },
    creators: {
      alice: {
        enable: ['local'],
        monetization: {
          currency: 'USD',
          rates: { EUR: 1.1 },
          bitsPerUnit: 100,
          ...(match === undefined ? {} : { match }),
          rules: [
            { kinds: ['bits', 'superchat', 'rant'], min: 1, actions: [{ type: 'chat.reply', params: { text: 'thanks {user} for {amount} {currency} ({kind}, {paid})' } }] },
            { kinds: ['bits', 'superchat', 'rant'], min: 5, max: 49.99, actions: [{ type: 'chat.reply', params: { text: 'tier 2: {amount}' } }] },
            { kinds: ['superchat'], min: 50, actions: [{ type: 'chat.reply', params: { text: 'tier 3' } }] },
          ],
        },
      },
      bob: { enable: ['local'] },
    },
  });
  const paid = (kind: string, amountMicros: number, currency: string, creatorId = 'alice', display?: string) =>
    msg('', { creatorId, monetary: { kind, amountMicros, currency, ...(display === undefined ? {} : { display }) } });

  it('a $5 Super Chat, 500 bits and a €4.60 rant reach tier 2 (highest threshold wins); less is tier 1; unknown currencies are skipped and reported once', async () => {
    const p = platforms();
    const t = await startTestKernel({ plugins: [p.plugin], manifest: manifest() });
    for (const m of [
      paid('superchat', 5_000_000, 'USD', 'alice', '$5.00'),
      paid('bits', 500_000_000, 'BITS'),
      paid('rant', 4_600_000, 'EUR'), // 5.06 USD
      paid('bits', 100_000_000, 'BITS'),
      paid('superchat', 4_990_000, 'USD', 'alice', '$4.99'),
      paid('superchat', 100_000_000, 'USD'),
      paid('bits', 50_000_000, 'BITS'), // 0.50: below every rule
      paid('supersticker', 20_000_000, 'USD'), // no rule of this kind
      paid('superchat', 500_000_000, 'JPY'),
      paid('superchat', 900_000_000, 'JPY'),
      paid('superchat', 2_000_000, 'USD', 'bob'), // the top-level default
    ]) t.bus.emit('chat.message', m);
    await t.kernel.idle();
    expect(p.replies()).toEqual([
      'tier 2: 5.00',
      'tier 2: 5.00',
      'tier 2: 5.06',
      'thanks Viewer for 1.00 USD (bits, 100.00 BITS)',
      'thanks Viewer for 4.99 USD (superchat, $4.99)',
      'tier 3',
      'top-level default',
    ]);
    expect(t.logs.lines.filter((l) => l.code === 'SS_ERR_RULES_CURRENCY_UNKNOWN')).toHaveLength(1);
    await t.stop();
  });

  it('match "all" runs every matching rule, in order', async () => {
    const p = platforms();
    const t = await startTestKernel({ plugins: [p.plugin], manifest: manifest('all') });
    t.bus.emit('chat.message', paid('superchat', 5_000_000, 'USD', 'alice', '$5.00'));
    await t.kernel.idle();
    expect(p.replies()).toEqual(['thanks Viewer for 5.00 USD (superchat, $5.00)', 'tier 2: 5.00']);
    await t.stop();
  });
});

/** The issues createKernel refuses a manifest with, as "<code> <path>", and the issues themselves. */
async function refused(p: ReturnType<typeof platforms>, alice: Record<string, unknown>) {
  const error = await createKernel(withDefaults({ plugins: [p.plugin], manifest: { creators: { alice: { enable: ['local'], ...alice } } } })).then(
    () => undefined,
    (e: unknown) => e as StreamSuitesError,
  );
  expect(error).toBeInstanceOf(StreamSuitesError);
  const all = (error!.details as { issues: { code: string; path: string; message: string }[] }).issues;
  return { codes: all.map((i) => `${i.code} ${i.path}`), all };
}

describe('validate-time problems', () => {
  it('rules that contradict the triggers, and monetization actions the dispatcher refuses: every one, with both JSON paths', async () => {
    const { codes, all } = await refused(platforms(), {
      triggers: [
        { type: 'command', params: { command: '!clip', aliases: ['!c'] }, actions: [{ type: 'chat.reply', params: { text: 'ok' } }] },
        { type: 'keyword', params: { keywords: ['free stuff'] }, actions: [{ type: 'chat.reply', params: { text: 'no' } }] },
      ],
      chatBehaviour: {
        bannedPhrases: [
          { phrase: 'clip', action: 'delete' },
          { phrase: 'FREE STUFF', action: 'warn' },
          { regex: { pattern: '^!c$' }, action: 'timeout' },
          { phrase: 'fine', action: 'delete' },
        ],
        autoReplies: [
          { match: { command: '!C' }, text: 'dup' },
          { match: { keyword: 'free stuff' }, text: 'dup' },
          { match: { command: '!other' }, text: 'fine' },
        ],
      },
      monetization: { rules: [{ kinds: ['bits'], min: 1, actions: [{ type: 'chat.nope', params: {} }, { type: 'chat.timeout', params: { seconds: 0 } }] }] },
    });
    expect(codes.sort()).toEqual([
      'SS_ERR_ACTION_PARAMS_INVALID /creators/alice/monetization/rules/0/actions/1/params/seconds',
      'SS_ERR_ACTION_UNKNOWN /creators/alice/monetization/rules/0/actions/0/type',
      'SS_ERR_RULES_AUTO_REPLY_CONFLICT /creators/alice/chatBehaviour/autoReplies/0/match/command',
      'SS_ERR_RULES_AUTO_REPLY_CONFLICT /creators/alice/chatBehaviour/autoReplies/1/match/keyword',
      'SS_ERR_RULES_BANNED_PHRASE_CONFLICT /creators/alice/chatBehaviour/bannedPhrases/0/phrase',
      'SS_ERR_RULES_BANNED_PHRASE_CONFLICT /creators/alice/chatBehaviour/bannedPhrases/1/phrase',
      'SS_ERR_RULES_BANNED_PHRASE_CONFLICT /creators/alice/chatBehaviour/bannedPhrases/2/regex',
    ]);
    // The rule's path is the issue's; the trigger's is in the message.
    expect(all.find((i) => i.path.endsWith('bannedPhrases/0/phrase'))!.message).toContain('/creators/alice/triggers/0');
    expect(all.find((i) => i.path.endsWith('bannedPhrases/1/phrase'))!.message).toContain('/creators/alice/triggers/1');
  });

  it('unsafe regexes and rules the schema cannot judge: every one at once, with JSON paths', async () => {
    const { codes } = await refused(platforms(), {
      chatBehaviour: {
        bannedPhrases: [
          { regex: { pattern: '(a)\\1' }, action: 'delete' },
          { action: 'delete' },
          { phrase: 'x', regex: { pattern: 'x' }, action: 'delete' },
          { phrase: 'fine', action: 'delete' },
        ],
        autoReplies: [{ match: { regex: { pattern: '(?=x)' } }, text: 'lookahead' }, { match: { regex: { pattern: '([a-z]' } }, text: 'syntax' }],
      },
      monetization: { rules: [{ kinds: ['bits'], min: 10, max: 5, actions: [{ type: 'chat.reply', params: { text: 'x' } }] }] },
    });
    expect(codes.sort()).toEqual([
      'SS_ERR_RULES_INVALID /creators/alice/chatBehaviour/bannedPhrases/1',
      'SS_ERR_RULES_INVALID /creators/alice/chatBehaviour/bannedPhrases/2',
      'SS_ERR_RULES_INVALID /creators/alice/monetization/rules/0/max',
      'SS_ERR_RULES_REGEX_UNSAFE /creators/alice/chatBehaviour/autoReplies/0/match/regex/pattern',
      'SS_ERR_RULES_REGEX_UNSAFE /creators/alice/chatBehaviour/autoReplies/1/match/regex/pattern',
      'SS_ERR_RULES_REGEX_UNSAFE /creators/alice/chatBehaviour/bannedPhrases/0/regex/pattern',
    ]);
  });
});

describe('in a replay', () => {
  it('rules run in dry-run and judge greetings against the store, but write nothing to it', async () => {
    const store = new MapStateStore();
    const kernel = await createKernel(
      withDefaults({
        manifest: { creators: { alice: { enable: [], chatBehaviour: { firstTimeGreeting: { text: 'Welcome {user}!' } } } } },
        mode: 'replay',
        overrides: { sections: { dryRun: true } },
        services: [{ ref: stateStoreRef, factory: () => store }],
        logDestination: new LogCapture(),
      }),
    );
    await kernel.start();
    const greeted: string[] = [];
    kernel.bus.on('action.dispatched', (e) => void greeted.push(`${String(e.action.params.text)}:${e.dryRun ? 'dry-run' : 'ran'}`));
    kernel.bus.emit('chat.message', chat('hi', { user: 'ann' }));
    kernel.bus.emit('chat.message', chat('hi again', { user: 'ann' }));
    await kernel.idle();
    expect(greeted).toEqual(['Welcome Ann!:dry-run']);
    expect([...store.data.keys()].filter((k) => k.startsWith('chat-rules.'))).toEqual([]);
    await kernel.stop();
  });
});
