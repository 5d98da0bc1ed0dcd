// Moderation, state and connection lines, emotes and dedupe (normalize.test.ts has chat and notices).
import { describe, expect, it } from 'vitest';
import { MessageIdLru, authFailedEvent, parseEmotes } from '../src/normalize/index.js';
import { ctx, norm } from './normalize-helpers.js';

describe('CLEARMSG, CLEARCHAT, ROOMSTATE', () => {
  it('CLEARMSG → deleted (moderation:6)', () => {
    expect(norm('moderation.irc', 6)).toEqual({
      kind: 'deleted',
      event: { creatorId: 'c1', platform: 'twitch', channel: 'pajlada', messageId: '3c92014f-340a-4dc3-a9c9-e5cf182f4a84', at: ctx.receivedAt },
      login: 'alazymeme',
      text: 'NIGHT CUNT',
    });
    expect(norm('moderation.irc', 9)).toMatchObject({ event: { channel: 'dallas', messageId: 'abc-123-def' }, login: 'ronni' });
  });

  it('CLEARMSG of a /me message: the ACTION wrapper is stripped and isAction set (moderation:7)', () => {
    expect(norm('moderation.irc', 7)).toEqual({
      kind: 'deleted',
      event: { creatorId: 'c1', platform: 'twitch', channel: 'pajlada', messageId: '15e5164d-f8e6-4aec-baf4-2d6a330760c4', at: ctx.receivedAt },
      login: 'randers',
      text: 'test',
      isAction: true,
    });
    expect(norm('moderation.irc', 6)).not.toHaveProperty('isAction');
  });

  it('CLEARCHAT with ban-duration → timeout; with a target only → ban; without target → cleared', () => {
    expect(norm('moderation.irc', 12)).toEqual({
      kind: 'user-timeout',
      event: { creatorId: 'c1', platform: 'twitch', channel: 'dmitryscaletta', userId: '471434202', login: 'honeykingdombot', action: 'timeout', durationSec: 600, at: ctx.receivedAt },
      // What tells this CLEARCHAT from the next across connections: room, target and tmi-sent-ts.
      key: 'CLEARCHAT dmitryscaletta honeykingdombot 1573199604283',
    });
    expect(norm('moderation.irc', 8)).toMatchObject({ event: { action: 'timeout', durationSec: 1, reason: 'testing xd', login: 'ampzyh' } });
    const ban = norm('moderation.irc', 4);
    expect(ban).toMatchObject({ kind: 'user-timeout', event: { action: 'ban', login: 'weeb123', userId: '70948394' } });
    expect(ban.kind === 'user-timeout' && 'durationSec' in ban.event).toBe(false);
    expect(norm('moderation.irc', 2)).toEqual({ kind: 'cleared', event: { creatorId: 'c1', platform: 'twitch', channel: 'schmoopiie', at: ctx.receivedAt } });
    expect(norm('moderation.irc', 5)).toMatchObject({ kind: 'cleared', event: { channel: 'randers' } });
  });

  it('ROOMSTATE full state', () => {
    expect(norm('state.irc', 10)).toEqual({
      kind: 'room-state',
      event: {
        creatorId: 'c1', platform: 'twitch', channel: 'randers', channelId: '40286300', at: ctx.receivedAt,
        state: { emoteOnly: true, followersOnly: true, followersOnlyMinutes: 10, uniqueChat: true, slowSec: 5, subsOnly: true },
      },
    });
    expect(norm('state.irc', 8)).toMatchObject({ event: { state: { emoteOnly: false, followersOnly: false, uniqueChat: false, slowSec: 0, subsOnly: false } } });
    expect(norm('state.irc', 9)).toMatchObject({ event: { state: { followersOnly: true, followersOnlyMinutes: 0 } } });
  });

  it('ROOMSTATE partial updates keep only the keys present', () => {
    const slow = norm('state.irc', 5);
    expect(slow.kind === 'room-state' && slow.event.state).toEqual({ slowSec: 8 });
    const emote = norm('state.irc', 11);
    expect(emote.kind === 'room-state' && emote.event.state).toEqual({ emoteOnly: true });
    const legacy = norm('state.irc', 1); // broadcaster-lang=;r9k=0;slow=300;subs-only=0
    expect(legacy.kind === 'room-state' && legacy.event.state).toEqual({ uniqueChat: false, slowSec: 300, subsOnly: false });
  });
});

describe('USERSTATE, GLOBALUSERSTATE, NOTICE, connection lines', () => {
  it('USERSTATE says whether the bot is moderator or broadcaster', () => {
    expect(norm('state.irc', 12)).toMatchObject({ kind: 'user-state', state: { channel: 'randers', roles: [], elevated: false } });
    expect(norm('state.irc', 13)).toMatchObject({ state: { roles: ['moderator'], elevated: true, emoteSets: ['0', '75c09c7b-332a-43ec-8be8-1d4571706155'] } });
    expect(norm('state.irc', 19)).toMatchObject({ state: { channel: 'dmitryscaletta', roles: ['broadcaster'], elevated: true } });
  });

  it('GLOBALUSERSTATE gives the bot user id', () => {
    expect(norm('state.irc', 16)).toEqual({
      kind: 'global-user-state',
      state: { userId: '99659894', displayName: 'gempbot', badges: {}, color: '#00FF7F', emoteSets: ['0', '14417', '300206298', '300374282', '300548762'] },
    });
  });

  it('NOTICE: msg-id, channel, login failures', () => {
    expect(norm('notice.irc', 22)).toEqual({ kind: 'server-notice', notice: { channel: 'forsen', msgId: 'msg_banned', text: 'You are permanently banned from talking in forsen.', authFailed: false } });
    expect(norm('notice.irc', 24)).toEqual({ kind: 'server-notice', notice: { channel: undefined, text: 'Login authentication failed', authFailed: true } });
    expect(norm('notice.irc', 23)).toMatchObject({ notice: { authFailed: true } });
    expect(norm('notice.irc', 1)).toMatchObject({ notice: { authFailed: true, channel: 'schmoopiie' } });
    expect(norm('notice.irc', 25)).toMatchObject({ notice: { msgId: 'timeout_success', authFailed: false } });
  });

  it('a login failure becomes a coded platform.auth-failed payload', () => {
    const r = norm('notice.irc', 24);
    if (r.kind !== 'server-notice') throw new Error(r.kind);
    expect(authFailedEvent('c1', r.notice, 42)).toEqual({
      creatorId: 'c1', platform: 'twitch', at: 42,
      error: { code: 'SS_ERR_TWITCH_AUTH', message: 'Twitch rejected the login of creator "c1": Login authentication failed' },
    });
  });

  it('PING, RECONNECT, 001, JOIN/PART and unused commands', () => {
    expect(norm('connection.irc', 4)).toEqual({ kind: 'ping', token: 'tmi.twitch.tv' });
    expect(norm('connection.irc', 7)).toEqual({ kind: 'reconnect' });
    expect(norm('connection.irc', 8)).toEqual({ kind: 'welcome', login: 'justinfan123123' });
    expect(norm('connection.irc', 2)).toEqual({ kind: 'join', channel: 'schmoopiie', login: 'schmoopiie' });
    expect(norm('connection.irc', 6)).toEqual({ kind: 'part', channel: 'pajlada', login: 'randers811' });
    expect(norm('legacy-and-whisper.irc', 1)).toMatchObject({ kind: 'ignored', command: 'HOSTTARGET' });
    expect(norm('legacy-and-whisper.irc', 6)).toMatchObject({ kind: 'ignored', command: 'WHISPER' });
  });
});

describe('parseEmotes and MessageIdLru', () => {
  it('drops malformed and out-of-range ranges without throwing', () => {
    expect(parseEmotes('25:0-4,x-1,3-2,-1-2,0-99999999999/:0-1/25', 'Kappa')).toEqual([{ id: '25', name: 'Kappa', start: 0, end: 5 }]);
    expect(parseEmotes('25:0-4,6-10', 'Kappa Kappa')).toEqual([{ id: '25', name: 'Kappa', start: 0, end: 5 }, { id: '25', name: 'Kappa', start: 6, end: 11 }]);
    expect(parseEmotes('25:1-5', 'a Kappa b')).toBeUndefined(); // covers whitespace, and shifted it still does
    expect(parseEmotes('25:0-4', '')).toBeUndefined();
    expect(parseEmotes('25:1-2', '\uD800ab')).toEqual([{ id: '25', name: 'ab', start: 1, end: 3 }]);
  });

  // Linear work, counted (no timing): `work.steps` counts parseEmotes' loop iterations. To see these fail I
  // put back what the old code did: (1) re-reading a range's text to look for whitespace (a loop over
  // start..last counting steps, like the old slice + /\s/ per range): the wide-ranges case went to ~10^8
  // steps; (2) re-scanning the joined `/` group for its ':' from the group start on every chunk (the old
  // `${pending}/${chunk}` + lastIndexOf): the slashed-id case went quadratic. Both broke the bounds below.
  describe('parseEmotes does linear work on a very long tag', () => {
    const bound = (tag: string, text: string) => 3 * (tag.length + text.length) + 100;

    it('100,000 single-character ranges: all found, in order, linear steps', () => {
      const text = 'a '.repeat(100_000);
      const tag = `1:${Array.from({ length: 100_000 }, (_, i) => `${2 * i}-${2 * i}`).join(',')}`;
      const work = { steps: 0 };
      const emotes = parseEmotes(tag, text, work)!;
      expect(emotes).toHaveLength(100_000);
      expect(emotes[0]).toEqual({ id: '1', name: 'a', start: 0, end: 1 });
      expect(emotes[99_999]).toEqual({ id: '1', name: 'a', start: 199_998, end: 199_999 });
      expect(work.steps).toBeLessThanOrEqual(bound(tag, text));
    });

    it('10,000 ranges each covering a 10,000-character text: linear, not ranges × text', () => {
      const text = 'x'.repeat(10_000);
      const tag = `7:${'0-9999,'.repeat(10_000)}`;
      const work = { steps: 0 };
      expect(parseEmotes(tag, text, work)).toHaveLength(10_000);
      expect(work.steps).toBeLessThanOrEqual(bound(tag, text));
      // And a range over a space is still dropped (the prefix count agrees with /\s/).
      expect(parseEmotes('7:0-9999', `${'x'.repeat(5000)}\u3000${'x'.repeat(4999)}`)).toBeUndefined();
    });

    it('100,000 "/" chunks without ":" joined into one id: linear', () => {
      const text = 'Kappa';
      const id = '80481_/'.repeat(100_000);
      const tag = `${id}3:0-4`;
      const work = { steps: 0 };
      expect(parseEmotes(tag, text, work)).toEqual([{ id: id + '3', name: 'Kappa', start: 0, end: 5 }]);
      expect(work.steps).toBeLessThanOrEqual(bound(tag, text));
    });

    it('doubling the tag doubles the work', () => {
      const steps = (k: number) => {
        const work = { steps: 0 };
        parseEmotes(`1:${'0-0,'.repeat(k)}/${'2:1-1,'.repeat(k)}`, 'ab', work);
        return work.steps;
      };
      expect(steps(40_000) / steps(20_000)).toBeLessThan(2.05);
    });
  });

  it('MessageIdLru drops duplicates and evicts the least recently seen', () => {
    const lru = new MessageIdLru(3);
    expect([lru.add('a'), lru.add('b'), lru.add('a'), lru.add('c'), lru.add('d')]).toEqual([true, true, false, true, true]);
    expect(lru.size).toBe(3);
    expect(lru.has('b')).toBe(false); // evicted: 'a' was refreshed by its duplicate
    expect(lru.add('a')).toBe(false);
    expect(() => new MessageIdLru(0)).toThrow(RangeError);
  });

  it('MessageIdLru agrees with a plain list model over 20,000 random adds, and starts over after clear()', () => {
    const lru = new MessageIdLru(50);
    const model: string[] = []; // least recently seen first
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) >>> 16) % 120;
    for (let i = 0; i < 20_000; i++) {
      const id = `m${rand()}`;
      const at = model.indexOf(id);
      if (at !== -1) model.splice(at, 1);
      model.push(id);
      if (model.length > 50) model.shift();
      expect(lru.add(id)).toBe(at === -1);
    }
    expect(lru.size).toBe(50);
    for (const id of model) expect(lru.has(id)).toBe(true);
    lru.clear();
    expect([lru.size, lru.has(model[0]!), lru.add(model[0]!), lru.add('x'), lru.size]).toEqual([0, false, true, true, 2]);
  });
});
