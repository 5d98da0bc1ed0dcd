import { definePlugin, SS_ERR_PLATFORM_UNSUPPORTED } from '@streamsuites/kernel';
import { describe, expect, it } from 'vitest';
import { createPilledPlugin, pilledTransportsExtensionPoint, type PilledConnection, type PilledItem, type PilledTransport } from '../src/index.js';
import { createScriptedPilledTransport } from '../src/testing.js';
import { countNetwork, startPilled } from './helpers.js';

const hello = (id: string, login: string, text: string, extra: Partial<PilledItem> = {}): PilledItem =>
  ({ kind: 'chat', id, author: { id: `u-${login.toLowerCase()}`, login, displayName: login.toUpperCase() }, text, ...extra }) as PilledItem;

describe('plugin-pilled with a host-supplied transport', () => {
  it('turns the stand-in transport\'s items into chat.message / stream.online / stream.offline, and a !command reply goes out through its send()', async () => {
    const net = countNetwork();
    const transport = createScriptedPilledTransport({ name: 'stand-in' });
    const t = await startPilled({
      plugin: createPilledPlugin({ transport }),
      creators: {
        maya: {
          channel: 'Maya_Live',
          pilled: { botUsername: 'MayaBot' },
          triggers: [{ type: 'command', params: { command: '!hello' }, actions: [{ type: 'chat.reply', params: { text: 'hi {user}!' } }] }],
        },
        daniel: { enable: ['other'] },
      },
    });
    expect(t.kernel.status().creators.find((c) => c.id === 'maya')?.plugins).toEqual({ pilled: 'running', other: 'running' });
    const feed = await transport.connected('maya');
    expect(feed.target).toMatchObject({ creatorId: 'maya', channel: 'Maya_Live', botUsername: 'MayaBot' });
    expect(transport.feeds).toHaveLength(1); // daniel does not enable pilled: no connection for him

    feed.push({ kind: 'live', live: true, title: 'Evening show', streamId: 's-1', startedAt: 1000 });
    feed.push({ kind: 'live', live: true, title: 'Evening show', streamId: 's-1' }); // no change: no second stream.online
    feed.push(hello('m1', 'Anna', '!hello', { sentAt: 1234 } as Partial<PilledItem>));
    await t.events.waitFor('action.dispatched');
    expect(feed.sent).toEqual(['hi ANNA!']);
    feed.push(hello('m2', 'mayabot', 'hi ANNA!')); // the bot's own line coming back
    feed.push({ kind: 'live', live: false });
    await t.events.waitFor('stream.offline');

    expect(t.events.of('stream.online')).toEqual([
      { creatorId: 'maya', platform: 'pilled', channel: 'Maya_Live', at: expect.any(Number), title: 'Evening show', streamId: 's-1', startedAt: 1000 },
    ]);
    expect(t.events.of('stream.offline')).toMatchObject([{ creatorId: 'maya', platform: 'pilled', streamId: 's-1' }]);
    expect(t.events.of('chat.message')).toEqual([
      {
        id: 'm1',
        platform: 'pilled',
        creatorId: 'maya',
        channel: 'Maya_Live',
        receivedAt: expect.any(Number),
        sentAt: 1234,
        author: { id: 'u-anna', login: 'anna', displayName: 'ANNA', roles: [] },
        text: '!hello',
        isAction: false,
      },
    ]);
    expect(t.events.of('trigger.fired')).toHaveLength(1);

    await t.stop();
    expect(feed.closed).toBe(true);
    expect(t.events.of('platform.connection').filter((e) => e.platform === 'pilled').map((e) => e.state)).toEqual(['connecting', 'connected', 'stopped']);
    expect(t.events.of('kernel.plugin.failed')).toEqual([]);
    expect(net).toEqual({ fetches: [], sockets: 0, listens: 0 });
  });

  it('skips an invalid item with platform.normalize-failed (coded, redacted sample) and reads on', async () => {
    const transport = createScriptedPilledTransport();
    const t = await startPilled({ plugin: createPilledPlugin({ transport }), creators: { maya: { channel: 'Maya_Live' } } });
    const feed = await transport.connected('maya');
    feed.push({ kind: 'chat', id: 'bad', author: { id: 'u1' }, text: 'no login' }, { kind: 'poll' }, 'junk', hello('m3', 'anna', 'still here', { author: { id: 'u-anna', login: 'anna', roles: ['subscriber', 'moderator', 'subscriber'] } } as Partial<PilledItem>));
    await t.events.waitFor('chat.message');
    const failures = t.events.of('platform.normalize-failed');
    expect(failures.map((f) => [f.code, f.message])).toEqual([
      ['SS_ERR_PILLED_ITEM_INVALID', 'A Pilled transport item was not a valid chat or live item and was skipped: chat item: "author.login" must be a non-empty string'],
      ['SS_ERR_PILLED_ITEM_INVALID', 'A Pilled transport item was not a valid chat or live item and was skipped: unknown kind "poll" (expected "chat" or "live")'],
      ['SS_ERR_PILLED_ITEM_INVALID', 'A Pilled transport item was not a valid chat or live item and was skipped: not an object'],
    ]);
    expect(failures[0]).toMatchObject({ creatorId: 'maya', platform: 'pilled', sample: expect.stringContaining('"id":"bad"') });
    expect(t.events.of('chat.message').map((m) => [m.text, m.author.roles, m.author.displayName])).toEqual([['still here', ['moderator', 'subscriber'], 'anna']]);
  });

  it('accepts a transport contributed by another plugin through pilledTransportsExtensionPoint (the manifest-loaded default plugin)', async () => {
    const transport = createScriptedPilledTransport({ name: 'bridge' });
    const bridge = definePlugin({ id: 'pilled-bridge', version: '0.0.0', kernel: '^0.2.0', register: (reg) => reg.extend(pilledTransportsExtensionPoint, transport) });
    const t = await startPilled({ extra: [bridge], creators: { maya: { channel: 'Maya_Live' } } });
    const feed = await transport.connected('maya');
    feed.push(hello('m1', 'anna', 'hi'));
    await t.events.waitFor('chat.message');
    expect(t.kernel.status().creators[0]?.plugins.pilled).toBe('running');
    expect(t.logs.text()).not.toContain(SS_ERR_PLATFORM_UNSUPPORTED.code);
  });

  it('refuses two transports at init with SS_ERR_PILLED_TRANSPORT_AMBIGUOUS', async () => {
    const bridge = definePlugin({ id: 'pilled-bridge', version: '0.0.0', kernel: '^0.2.0', register: (reg) => reg.extend(pilledTransportsExtensionPoint, createScriptedPilledTransport({ name: 'b' })) });
    const t = await startPilled({ plugin: createPilledPlugin({ transport: createScriptedPilledTransport({ name: 'a' }) }), extra: [bridge], creators: { maya: { channel: 'Maya_Live' } } });
    const failed = t.events.of('kernel.plugin.failed');
    expect(failed).toMatchObject([{ pluginId: 'pilled', phase: 'init', error: { cause: { code: 'SS_ERR_PILLED_TRANSPORT_AMBIGUOUS' } } }]);
    expect(failed[0]?.error.message).toContain('"a", "b"');
  });

  it('a connect that fails fails only that creator (SS_ERR_PILLED_TRANSPORT); a feed that breaks is logged, reported stopped and takes a live stream offline', async () => {
    const transport = createScriptedPilledTransport({ refuse: ['anna'] });
    const t = await startPilled({ plugin: createPilledPlugin({ transport }), creators: { maya: { channel: 'Maya_Live' }, anna: { channel: 'Anna' } } });
    expect(Object.fromEntries(t.kernel.status().creators.map((c) => [c.id, c.plugins.pilled]))).toEqual({ maya: 'running', anna: 'failed' });
    expect(t.events.of('kernel.plugin.failed')).toMatchObject([{ creatorId: 'anna', error: { cause: { code: 'SS_ERR_PILLED_TRANSPORT' } } }]);

    const feed = await transport.connected('maya');
    feed.push({ kind: 'live', live: true });
    await t.events.waitFor('stream.online');
    feed.end(new Error('socket reset'));
    await t.events.waitFor('stream.offline');
    const stopped = await t.events.waitFor('platform.connection', (e) => e.creatorId === 'maya' && e.platform === 'pilled' && e.state === 'stopped');
    expect(stopped.reason).toBe('Pilled transport "scripted" of creator "maya": feed failed: socket reset');
    expect(t.logs.lines.some((l) => l.level === 50 && JSON.stringify(l).includes('SS_ERR_PILLED_TRANSPORT'))).toBe(true);
  });

  it('chat.reply fails with SS_ERR_PILLED_SEND_UNAVAILABLE on a read-only transport', async () => {
    const transport = createScriptedPilledTransport({ readOnly: true });
    const t = await startPilled({
      plugin: createPilledPlugin({ transport }),
      creators: { maya: { channel: 'Maya_Live', triggers: [{ type: 'command', params: { command: '!hello' }, actions: [{ type: 'chat.reply', params: { text: 'hi' } }] }] } },
    });
    (await transport.connected('maya')).push(hello('m1', 'anna', '!hello'));
    const failed = await t.events.waitFor('action.failed');
    expect(failed.error).toMatchObject({ code: 'SS_ERR_ACTION_FAILED', cause: { code: 'SS_ERR_PILLED_SEND_UNAVAILABLE' } });
  });

  it('the contract is plain TypeScript a host can implement by hand; and its send() carries replies', async () => {
    // A minimal transport written against the exported types only, as the README shows.
    const items: PilledItem[] = [hello('x1', 'anna', '!hello')];
    const sent: string[] = [];
    const handmade: PilledTransport = {
      name: 'handmade',
      connect(): PilledConnection {
        let closed = false;
        return {
          async *[Symbol.asyncIterator]() {
            for (const item of items) if (!closed) yield item;
          },
          send: async (text) => void sent.push(text),
          async close() {
            closed = true;
          },
        };
      },
    };
    const t = await startPilled({
      plugin: createPilledPlugin({ transport: handmade }),
      creators: { maya: { channel: 'Maya_Live', triggers: [{ type: 'command', params: { command: '!hello' }, actions: [{ type: 'chat.reply', params: { text: 'hi {user}!' } }] }] } },
    });
    await t.events.waitFor('platform.connection', (e) => e.platform === 'pilled' && e.state === 'stopped');
    await t.events.waitFor('action.dispatched');
    expect(t.events.of('chat.message').map((m) => m.text)).toEqual(['!hello']);
    expect(sent).toEqual(['hi ANNA!']);
    expect(t.events.of('action.failed')).toEqual([]);
    expect(t.events.of('platform.connection').filter((e) => e.platform === 'pilled').at(-1)?.reason).toBe('the transport ended its feed');
  });
});
