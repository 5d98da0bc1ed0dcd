import { describe, expect, it } from 'vitest';
import {
  actionDispatcherRef,
  actionTypesExtensionPoint,
  createKernel,
  definePlugin,
  stateStoreRef,
  triggerRegistryRef,
  Type,
  type ActionContext,
  type EventName,
  type TriggerDefinition,
} from '@streamsuites/kernel';
import { withDefaults } from '../src/index.js';
import { compileConditions } from '../src/triggers/event-conditions.js';
import { chat, fakeClock, MapStateStore } from './helpers/chat.js';
import { startTestKernel } from './helpers/kernel.js';

/**
 * A test platform: declares `test.points` (an internal score, like
 * `score.add`) and handles `chat.reply` for platform `twitch`, recording
 * each call with the context it ran in.
 */
function platform() {
  const calls: { type: string; params: Record<string, unknown>; ctx: ActionContext }[] = [];
  const plugin = definePlugin({
    id: 'testplatform',
    version: '1.0.0',
    kernel: '^0.2.0',
    register(reg) {
      reg.extend(actionTypesExtensionPoint, {
        type: 'test.points',
        effects: 'internal',
        paramsSchema: Type.Object({ user: Type.String(), points: Type.Integer() }, { additionalProperties: false }),
      });
      reg.onInit({
        deps: { actions: actionDispatcherRef },
        init({ deps }) {
          deps.actions.registerHandler<Record<string, unknown>>({
            type: 'chat.reply',
            platform: 'twitch',
            handle: (params, ctx) => void calls.push({ type: 'chat.reply', params, ctx }),
          });
          deps.actions.registerHandler<Record<string, unknown>>({ type: 'test.points', handle: (params, ctx) => void calls.push({ type: 'test.points', params, ctx }) });
        },
      });
    },
  });
  return { plugin, calls };
}

/** A redemption as plugin-twitch puts it on the bus (`twitch.redemption`). */
function redemption(overrides: { creatorId?: string; title?: string; cost?: number; user?: string; eventId?: string; userInput?: string } = {}) {
  const user = overrides.user ?? 'ann';
  return {
    creatorId: overrides.creatorId ?? 'alice',
    platform: 'twitch',
    channel: 'alice_tv',
    channelId: '1337',
    eventId: overrides.eventId ?? `msg-${Math.random().toString(36).slice(2)}`,
    at: 1_700_000_000_000,
    user: { id: `id-${user}`, login: user, displayName: user.toUpperCase() },
    redemptionId: 'r-1',
    reward: { id: 'rw-1', title: overrides.title ?? 'Hydrate', cost: overrides.cost ?? 100, prompt: '' },
    userInput: overrides.userInput ?? 'cheers',
    status: 'unfulfilled',
    redeemedAt: 1_700_000_000_000,
  };
}

const hydrate = (extra: Partial<TriggerDefinition> = {}): TriggerDefinition => ({
  id: 'hydrate',
  type: 'event',
  params: { event: 'twitch.redemption', where: { 'reward.title': 'Hydrate', 'reward.cost': { gte: 100 } } },
  actions: [
    { type: 'chat.reply', params: { text: '{user} ({login}) redeemed {event.reward.title} for {event.reward.cost}: {event.userInput}' } },
    { type: 'test.points', params: { user: '{userId}', points: '{event.reward.cost}' } },
  ],
  ...extra,
});

async function kernelWith(triggers: Record<string, TriggerDefinition[]>, options: { clock?: ReturnType<typeof fakeClock> } = {}) {
  const p = platform();
  const creators = Object.fromEntries(Object.entries(triggers).map(([id, list]) => [id, { enable: ['testplatform'], triggers: list }]));
  const t = await startTestKernel({
    plugins: [p.plugin],
    manifest: { creators },
    services: [{ ref: stateStoreRef, factory: () => new MapStateStore() }],
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
  /** Emits a bus event by name and waits until the triggers and actions it caused settled. */
  const emit = async (name: string, payload: object) => {
    const fired = t.events.of('trigger.fired').length;
    t.bus.emit(name as EventName, payload as never);
    await new Promise((resolve) => setImmediate(resolve));
    await t.kernel.idle();
    return t.events.of('trigger.fired').slice(fired);
  };
  return { t, calls: p.calls, emit };
}

describe('event trigger: firing', () => {
  it('a redemption-shaped event fires the manifest trigger: chat.reply on the event platform, a score with the event values', async () => {
    const { calls, emit } = await kernelWith({ alice: [hydrate()] });
    const fired = await emit('twitch.redemption', redemption({ eventId: 'msg-1' }));
    expect(fired).toHaveLength(1);
    expect(fired[0]).toMatchObject({ creatorId: 'alice', triggerId: 'hydrate', messageId: 'msg-1', platform: 'twitch', args: [] });
    expect(calls.map((c) => [c.type, c.params])).toEqual([
      ['chat.reply', { text: 'ANN (ann) redeemed Hydrate for 100: cheers' }],
      ['test.points', { user: 'id-ann', points: 100 }], // the string from the template becomes the integer the schema asks for
    ]);
    // The stand-in message the actions run with.
    expect(calls[0]!.ctx).toMatchObject({
      creatorId: 'alice',
      triggerId: 'hydrate',
      actionId: 'twitch:msg-1:hydrate:0',
      message: { id: 'msg-1', platform: 'twitch', creatorId: 'alice', channel: 'alice_tv', text: '', author: { id: 'id-ann', login: 'ann', displayName: 'ANN', roles: [] } },
    });
  });

  it('a standby creator (connected, not acting) fires neither event nor chat triggers until promoted', async () => {
    const { t, calls, emit } = await kernelWith({ alice: [hydrate(), { id: 'hi', type: 'command', params: { command: '!hi' }, actions: [{ type: 'chat.reply', params: { text: 'hi' } }] }] });
    await t.kernel.stopCreator('alice');
    await t.kernel.startCreator('alice', { standby: true });
    expect(await emit('twitch.redemption', redemption())).toEqual([]);
    t.bus.emit('chat.message', chat('!hi', { platform: 'twitch' }));
    await new Promise((resolve) => setImmediate(resolve));
    await t.kernel.idle();
    expect(t.events.of('trigger.fired')).toEqual([]);
    expect(calls).toEqual([]);
    t.kernel.promoteCreator('alice');
    expect(await emit('twitch.redemption', redemption())).toHaveLength(1);
  });

  it('conditions that miss do not fire: other title, too cheap, another event name', async () => {
    const { calls, emit } = await kernelWith({ alice: [hydrate()] });
    expect(await emit('twitch.redemption', redemption({ title: 'Stretch' }))).toEqual([]);
    expect(await emit('twitch.redemption', redemption({ cost: 99 }))).toEqual([]);
    expect(await emit('twitch.cheer', { ...redemption(), bits: 500 })).toEqual([]);
    expect(calls).toEqual([]);
    expect(await emit('twitch.redemption', redemption({ cost: 500 }))).toHaveLength(1);
  });

  it('an event of another creator does not fire this creator\'s trigger (and fires that creator\'s own)', async () => {
    const { calls, emit } = await kernelWith({ alice: [hydrate()], bob: [hydrate({ id: 'bob-hydrate' })] });
    const fired = await emit('twitch.redemption', redemption({ creatorId: 'bob' }));
    expect(fired.map((f) => [f.creatorId, f.triggerId])).toEqual([['bob', 'bob-hydrate']]);
    expect(calls.every((c) => c.ctx.creatorId === 'bob')).toBe(true);
    expect(await emit('twitch.redemption', redemption({ creatorId: 'carol' }))).toEqual([]);
    expect(await emit('twitch.redemption', { ...redemption(), creatorId: undefined })).toEqual([]);
  });

  it('cooldowns: per user (keyed on payload.user.id) and per creator', async () => {
    const clock = fakeClock();
    const { emit } = await kernelWith(
      {
        alice: [
          hydrate({ cooldown: { user: '30s' } }),
          { id: 'big', type: 'event', params: { event: 'twitch.cheer', where: { bits: { gte: 100 } } }, cooldown: { creator: '1m' }, actions: [{ type: 'chat.reply', params: { text: 'thanks {user}' } }] },
        ],
      },
      { clock },
    );
    expect(await emit('twitch.redemption', redemption({ user: 'ann' }))).toHaveLength(1);
    expect(await emit('twitch.redemption', redemption({ user: 'ann' }))).toHaveLength(0); // ann cools down
    expect(await emit('twitch.redemption', redemption({ user: 'bo' }))).toHaveLength(1); // bo does not
    clock.advance(30_001);
    expect(await emit('twitch.redemption', redemption({ user: 'ann' }))).toHaveLength(1);

    const cheer = (user?: string) => ({ creatorId: 'alice', platform: 'twitch', channel: 'alice_tv', at: 1, bits: 100, anonymous: user === undefined, ...(user === undefined ? {} : { user: { id: user, login: user, displayName: user } }) });
    expect(await emit('twitch.cheer', cheer('ann'))).toHaveLength(1);
    expect(await emit('twitch.cheer', cheer('bo'))).toHaveLength(0); // the creator level holds for everyone
    clock.advance(60_001);
    expect(await emit('twitch.cheer', cheer())).toHaveLength(1); // anonymous: no user level, the creator level applies
  });

  it('the pipeline subscribes only to the event names triggers use, and follows runtime add / remove', async () => {
    const { t, emit } = await kernelWith({ alice: [hydrate()] });
    expect(t.bus.listenerCount('twitch.redemption' as EventName)).toBe(1);
    expect(t.bus.listenerCount('twitch.follow' as EventName)).toBe(0);
    const registry = t.kernel.resolveFor('alice', triggerRegistryRef);
    const id = registry.add({ id: 'welcome', type: 'event', params: { event: 'twitch.follow' }, actions: [{ type: 'chat.reply', params: { text: 'welcome {user}' } }] });
    expect(t.bus.listenerCount('twitch.follow' as EventName)).toBe(1);
    expect(await emit('twitch.follow', { creatorId: 'alice', platform: 'twitch', channel: 'alice_tv', at: 1, user: { id: '1', login: 'cy', displayName: 'Cy' } })).toHaveLength(1);
    registry.remove(id);
    expect(t.bus.listenerCount('twitch.follow' as EventName)).toBe(0);
    // Event triggers never match chat, and chat never reaches them.
    expect(registry.match(chat('Hydrate twitch.redemption'))).toEqual([]);
    await t.stop();
    expect(t.bus.listenerCount('twitch.redemption' as EventName)).toBe(0);
  });

  it('platforms filter on the payload platform; enabled: false never fires', async () => {
    const { emit } = await kernelWith({ alice: [hydrate({ platforms: ['youtube'] }), hydrate({ id: 'off', enabled: false })] });
    expect(await emit('twitch.redemption', redemption())).toEqual([]);
    expect(await emit('twitch.redemption', { ...redemption(), platform: 'youtube' })).toHaveLength(1);
  });

  it('stream.online fires with the StreamStatus fields as {event.*}; a missing field fills in as empty', async () => {
    const { calls, emit } = await kernelWith({
      alice: [{ type: 'event', params: { event: 'stream.online', where: { platform: 'twitch' } }, actions: [{ type: 'chat.reply', params: { text: 'live: {event.title}{event.nope} {user}!' } }] }],
    });
    const fired = await emit('stream.online', { creatorId: 'alice', platform: 'twitch', channel: 'alice_tv', at: 5, title: 'Speedruns' });
    expect(fired).toHaveLength(1);
    expect(fired[0]!.messageId).toBe('stream.online@5');
    expect(calls[0]!.params).toEqual({ text: 'live: Speedruns !' });
  });
});

describe('event trigger: where conditions', () => {
  const test = (where: Parameters<typeof compileConditions>[0], payload: Record<string, unknown>) => compileConditions(where).every((c) => c.test(payload));
  const payload = { bits: 150, text: 'Hello World', tier: 2, user: { login: 'ann' }, choices: [{ votes: 3 }], anonymous: false };

  it('equality, numbers, lists, substrings, paths into arrays; missing or mistyped fields miss', () => {
    expect(test({ bits: 150, 'user.login': 'ann', anonymous: false }, payload)).toBe(true);
    expect(test({ bits: '150' }, payload)).toBe(false);
    expect(test({ bits: { gte: 100, lt: 200 } }, payload)).toBe(true);
    expect(test({ bits: { gt: 150 } }, payload)).toBe(false);
    expect(test({ bits: { lte: 150 } }, payload)).toBe(true);
    expect(test({ tier: { in: [2, 3] } }, payload)).toBe(true);
    expect(test({ tier: { in: [1] } }, payload)).toBe(false);
    expect(test({ text: { contains: 'world' } }, payload)).toBe(true);
    expect(test({ bits: { contains: '15' } }, payload)).toBe(false);
    expect(test({ 'choices.0.votes': { gte: 3 } }, payload)).toBe(true);
    expect(test({ 'user.id': { gte: 0 } }, payload)).toBe(false);
    expect(test({ 'text.length': 11 }, payload)).toBe(false); // own fields only, never a string's length or a prototype
    expect(test({ 'user.id': null }, payload)).toBe(true); // null matches a missing field
    expect(test({}, payload)).toBe(true);
  });
});

describe('event trigger: validation', () => {
  it('bad params and chat-only filters are coded issues with their JSON paths, all at once', async () => {
    const reply = [{ type: 'chat.reply', params: { text: 'hi' } }];
    const error = await createKernel(
      withDefaults({
        manifest: {
          creators: {
            alice: {
              enable: [],
              triggers: [
                { type: 'event', params: { where: { bits: 1 } }, actions: reply },
                { type: 'event', params: { event: 'Twitch Redemption' }, actions: reply },
                { type: 'event', params: { event: 'twitch.cheer', where: { bits: { gte: 'many' } } }, actions: reply },
                { type: 'event', params: { event: 'twitch.cheer', where: { bits: { atLeast: 1 } } }, actions: reply },
                { type: 'event', params: { event: 'twitch.cheer', where: { 'user..id': 'x' } }, actions: reply },
                { type: 'event', params: { event: 'chat.message' }, actions: reply },
                { type: 'event', params: { event: 'trigger.fired' }, actions: reply },
                { type: 'event', params: { event: 'twitch.cheer' }, roles: ['moderator'], minAmountMicros: 5, actions: reply },
                { type: 'event', params: { event: 'twitch.cheer', where: { tier: { in: [] } } }, actions: reply },
              ],
            },
          },
        },
      }),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SS_ERR_MANIFEST_INVALID' });
    const issues = (error as { details: { issues: { code: string; path: string; hint?: string }[] } }).details.issues;
    const at = (n: number) => issues.filter((i) => i.path.startsWith(`/creators/alice/triggers/${n}/`)).map((i) => [i.code, i.path]);
    expect(at(0)).toEqual([['SS_ERR_TRIGGER_INVALID', '/creators/alice/triggers/0/params']]); // a missing key is reported on its object
    expect(issues.find((i) => i.path === '/creators/alice/triggers/0/params')).toMatchObject({ message: expect.stringContaining('event') });
    expect(at(1)).toEqual([['SS_ERR_TRIGGER_INVALID', '/creators/alice/triggers/1/params/event']]);
    expect(at(2)[0]).toEqual(['SS_ERR_TRIGGER_INVALID', expect.stringMatching(/^\/creators\/alice\/triggers\/2\/params\/where\/bits/)]);
    expect(at(3)[0]).toEqual(['SS_ERR_TRIGGER_INVALID', expect.stringMatching(/^\/creators\/alice\/triggers\/3\/params\/where\/bits/)]);
    expect(at(4)).toEqual([['SS_ERR_TRIGGER_INVALID', '/creators/alice/triggers/4/params/where/user..id']]);
    expect(at(5)).toEqual([['SS_ERR_TRIGGER_INVALID', '/creators/alice/triggers/5/params/event']]);
    expect(at(6)).toEqual([['SS_ERR_TRIGGER_INVALID', '/creators/alice/triggers/6/params/event']]);
    expect(at(7)).toEqual([
      ['SS_ERR_TRIGGER_INVALID', '/creators/alice/triggers/7/roles'],
      ['SS_ERR_TRIGGER_INVALID', '/creators/alice/triggers/7/minAmountMicros'],
    ]);
    expect(at(8)[0]).toEqual(['SS_ERR_TRIGGER_INVALID', expect.stringMatching(/^\/creators\/alice\/triggers\/8\/params\/where\/tier/)]);
    expect(issues.find((i) => i.path.endsWith('/5/params/event'))?.hint).toContain('command, keyword and regex');
    expect(issues.every((i) => i.path.startsWith('/creators/alice/triggers/'))).toBe(true);
  });

  it('registry.add throws the coded error for a bad event trigger', async () => {
    const { t } = await kernelWith({ alice: [] });
    const registry = t.kernel.resolveFor('alice', triggerRegistryRef);
    expect(() => registry.add({ type: 'event', params: { event: 'kernel.started' }, actions: [{ type: 'chat.reply', params: { text: 'x' } }] })).toThrow(
      expect.objectContaining({ code: 'SS_ERR_TRIGGER_INVALID' }),
    );
    expect(t.bus.listenerCount('kernel.started')).toBeLessThanOrEqual(1); // nothing subscribed for it
  });
});
