import { describe, expect, it } from 'vitest';
import { chooseChatTransport } from '../src/eventsub/transport-choice.js';

const never = () => Promise.reject(new Error('must not be asked'));

describe('chooseChatTransport', () => {
  it('irc and eventsub are what they say, without validating the token', async () => {
    expect(await chooseChatTransport({ mode: 'irc', redundancy: 2, scopes: never })).toMatchObject({ irc: 2, eventsub: false });
    expect(await chooseChatTransport({ mode: 'eventsub', redundancy: 2, scopes: never })).toMatchObject({ irc: 0, eventsub: true });
  });

  it('auto without a client id is IRC and asks nobody', async () => {
    expect(await chooseChatTransport({ mode: 'auto', redundancy: 2, scopes: never })).toMatchObject({ irc: 2, eventsub: false, reason: expect.stringContaining('no clientId') });
  });

  it('auto reads over EventSub with user:read:chat, keeping one IRC connection when redundancy asks for two', async () => {
    const scopes = () => Promise.resolve(['user:read:chat', 'user:write:chat']);
    expect(await chooseChatTransport({ mode: 'auto', redundancy: 2, clientId: 'c', scopes })).toMatchObject({ irc: 1, eventsub: true });
    expect(await chooseChatTransport({ mode: 'auto', redundancy: 1, clientId: 'c', scopes })).toMatchObject({ irc: 0, eventsub: true });
  });

  it('auto falls back to IRC without the scope, or when the token cannot be validated', async () => {
    expect(await chooseChatTransport({ mode: 'auto', redundancy: 2, clientId: 'c', scopes: () => Promise.resolve(['chat:read']) })).toMatchObject({
      irc: 2,
      eventsub: false,
      reason: expect.stringContaining('lacks user:read:chat'),
    });
    expect(await chooseChatTransport({ mode: 'auto', redundancy: 1, clientId: 'c', scopes: () => Promise.reject(new Error('HTTP 401')) })).toMatchObject({
      irc: 1,
      eventsub: false,
      reason: expect.stringContaining('HTTP 401'),
    });
  });
});
