import { describe, expect, it } from 'vitest';
import { escapeTagValue, parseIrcLine, unescapeTagValue } from '../src/irc/index.js';

describe('unescapeTagValue', () => {
  it.each([
    ['plain', 'plain'],
    ['Riot\\sGames', 'Riot Games'],
    ['a\\:b', 'a;b'],
    ['back\\\\slash', 'back\\slash'],
    ['cr\\rlf\\n', 'cr\rlf\n'],
    ['6\\sraiders\\shave\\sjoined\\n!', '6 raiders have joined\n!'],
    ['trailing\\', 'trailing'],
    ['CarvedTaleare\\s', 'CarvedTaleare '],
    ['unknown\\bescape', 'unknownbescape'],
    ['\\', ''],
    ['\\\\\\', '\\'],
    ['', ''],
  ])('%j → %j', (raw, expected) => {
    expect(unescapeTagValue(raw)).toBe(expected);
  });

  it('round-trips with escapeTagValue', () => {
    for (const value of ['a b;c\\d\r\ne', '', 'plain', '\\s', 'x;;y']) expect(unescapeTagValue(escapeTagValue(value))).toBe(value);
  });
});

describe('parseIrcLine', () => {
  it('splits tags, prefix, command, params and trailing', () => {
    const msg = parseIrcLine('@badge-info=;display-name=Riot\\sGames;flags=;empty :riotgames!riotgames@riotgames.tmi.twitch.tv PRIVMSG #riotgames :test fake message\r\n');
    expect(msg).toEqual({
      tags: { 'badge-info': '', 'display-name': 'Riot Games', flags: '', empty: '' },
      prefix: { nick: 'riotgames', user: 'riotgames', host: 'riotgames.tmi.twitch.tv' },
      command: 'PRIVMSG',
      params: ['#riotgames'],
      trailing: 'test fake message',
    });
  });

  it('keeps " :" inside the trailing parameter and an empty trailing', () => {
    expect(parseIrcLine(':olabaz!olabaz@olabaz.tmi.twitch.tv PRIVMSG #olab0t :hi : ')?.trailing).toBe('hi : ');
    expect(parseIrcLine(':tmi.twitch.tv NOTICE #c :')?.trailing).toBe('');
    expect(parseIrcLine(':tmi.twitch.tv CLEARCHAT #schmoopiie')?.trailing).toBeUndefined();
  });

  it('parses server, nick-only and missing prefixes', () => {
    expect(parseIrcLine(':tmi.twitch.tv RECONNECT')).toMatchObject({ prefix: { host: 'tmi.twitch.tv' }, command: 'RECONNECT', params: [] });
    expect(parseIrcLine(':jtv MODE #schmoopiie +o schmoopiie')).toMatchObject({ prefix: { nick: 'jtv' }, params: ['#schmoopiie', '+o', 'schmoopiie'] });
    expect(parseIrcLine('PING :tmi.twitch.tv')).toEqual({ tags: {}, prefix: undefined, command: 'PING', params: [], trailing: 'tmi.twitch.tv' });
    expect(parseIrcLine(':justinfan123123.tmi.twitch.tv 353 justinfan123123 = #channel123 :username1 username2')).toMatchObject({
      command: '353', params: ['justinfan123123', '=', '#channel123'], trailing: 'username1 username2',
    });
  });

  it('never lets a __proto__ tag touch the prototype', () => {
    const msg = parseIrcLine('@__proto__=x;a=1 PING :x');
    expect(Object.getPrototypeOf(msg!.tags)).toBe(Object.prototype);
    expect(msg!.tags).toEqual({ a: '1' });
  });

  it('uppercases lowercase commands', () => {
    expect(parseIrcLine('ping :x')?.command).toBe('PING');
  });

  it.each([
    ['empty', ''],
    ['only CRLF', '\r\n'],
    ['only tags', '@a=b;c=d'],
    ['tags then nothing', '@a=b '],
    ['prefix without command', ':tmi.twitch.tv'],
    ['prefix then spaces', ':tmi.twitch.tv   '],
    ['tag section over 8 KiB', `@a=${'x'.repeat(9000)} PING :x`],
    ['100 KiB line', `:a!a@a PRIVMSG #c :${'x'.repeat(100 * 1024)}`],
  ])('returns undefined for %s', (_name, line) => {
    expect(parseIrcLine(line)).toBeUndefined();
  });

  it.each([
    ['broken escaping', '@a=\\;b=\\q\\;c=\\ :x!x@x PRIVMSG #c :hi'],
    ['lone surrogate', ':x!x@x PRIVMSG #c :\uD800 hi \uDC00'],
    ['replacement chars', '@display-name=\uFFFD\uFFFD :x!x@x PRIVMSG #c :\uFFFD'],
    ['stray semicolons', '@;;a;=b;; :x PRIVMSG #c :hi'],
    ['NUL and control bytes', ':x PRIVMSG #c :\u0000\u0001\u0002'],
  ])('gives a best-effort message for %s', (_name, line) => {
    const msg = parseIrcLine(line);
    expect(msg?.command).toBe('PRIVMSG');
  });

  it('does not throw on non-string input', () => {
    expect(parseIrcLine(undefined as unknown as string)).toBeUndefined();
  });
});
