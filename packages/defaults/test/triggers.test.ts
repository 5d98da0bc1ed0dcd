import { describe, expect, it } from 'vitest';
import {
  actionDispatcherRef,
  actionGuardsExtensionPoint,
  actionJournalRef,
  defineError,
  chatPipelineRef,
  actionTypesExtensionPoint,
  createKernel,
  definePlugin,
  stateStoreRef,
  triggerRegistryRef,
  triggerTypesExtensionPoint,
  Type,
  type ActionHandler,
  type ActionJournal,
  type AnyPlugin,
  type TriggerDefinition,
} from '@streamsuites/kernel';
import { withDefaults } from '../src/index.js';
import { chat, fakeClock, MapStateStore } from './helpers/chat.js';
import { startTestKernel } from './helpers/kernel.js';

const SS_ERR_TEST_USED = defineError('SS_ERR_TEST_USED', () => 'the one use is gone');

/** A plugin that declares `test.record` and records what runs. */
function recorder(options: { fail?: boolean; hang?: boolean; timeoutMs?: number } = {}) {
  const calls: { params: Record<string, unknown>; creatorId: string }[] = [];
  const plugin = definePlugin({
    id: 'recorder',
    version: '1.0.0',
    kernel: '^0.2.0',
    register(reg) {
      reg.extend(actionTypesExtensionPoint, {
        type: 'test.record',
        paramsSchema: Type.Object({ note: Type.Optional(Type.String()), seconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 120 })) }, { additionalProperties: false }),
      });
      reg.onInit({
        deps: { actions: actionDispatcherRef },
        init({ deps }) {
          const handler: ActionHandler = {
            type: 'test.record',
            ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
            async handle(params, ctx) {
              calls.push({ params, creatorId: ctx.creatorId });
              if (options.hang) await new Promise(() => {});
              if (options.fail) throw new Error('handler boom');
            },
          };
          deps.actions.registerHandler(handler);
        },
      });
    },
  });
  return { plugin, calls };
}

/** An action journal over a Set the test can read and change. */
function memoryJournal(): { done: Set<string>; journal: ActionJournal } {
  const done = new Set<string>();
  return { done, journal: { done: (id) => done.has(id), record: (id) => void done.add(id) } };
}

const record = (params: Record<string, unknown> = {}) => [{ type: 'test.record', params }];

async function kernelWith(triggers: TriggerDefinition[], extra: { plugins?: AnyPlugin[]; enable?: string[]; creators?: string[]; store?: MapStateStore; clock?: ReturnType<typeof fakeClock>; dryRun?: boolean; handler?: Parameters<typeof recorder>[0]; journal?: ActionJournal } = {}) {
  const rec = recorder(extra.handler);
  const store = extra.store ?? new MapStateStore();
  const creators = Object.fromEntries((extra.creators ?? ['alice']).map((id) => [id, { enable: ['recorder', ...(extra.enable ?? [])], triggers }]));
  const t = await startTestKernel({
    plugins: [rec.plugin, ...(extra.plugins ?? [])],
    manifest: { creators, ...(extra.dryRun === undefined ? {} : { dryRun: extra.dryRun }) },
    services: [{ ref: stateStoreRef, factory: () => store }, ...(extra.journal === undefined ? [] : [{ ref: actionJournalRef, factory: () => extra.journal! }])],
    ...(extra.clock === undefined ? {} : { clock: extra.clock }),
  });
  const pipeline = async (text: string, overrides: Parameters<typeof chat>[1] = {}) => {
    const before = t.events.of('action.dispatched').length + t.events.of('action.failed').length;
    const fired = t.events.of('trigger.fired').length;
    const message = chat(text, overrides);
    t.bus.emit('chat.message', message);
    // The pipeline is async: let it evaluate, then poll (with a deadline) until every fired action settled.
    await new Promise((resolve) => setImmediate(resolve));
    const newlyFired = t.events.of('trigger.fired').slice(fired);
    const expected = before + newlyFired.reduce((n, f) => n + f.actions.length, 0);
    const deadline = Date.now() + 5000;
    while (t.events.of('action.dispatched').length + t.events.of('action.failed').length < expected) {
      if (Date.now() > deadline) throw new Error('actions did not settle');
      await new Promise((resolve) => setImmediate(resolve));
    }
    return newlyFired;
  };
  return { t, calls: rec.calls, store, send: pipeline };
}

describe('trigger types', () => {
  it('command: first token, case-insensitive, aliases, args with quotes; not mid-sentence', async () => {
    const { t, send } = await kernelWith([{ id: 'clip', type: 'command', params: { command: '!clip', aliases: ['!c'] }, actions: record() }]);
    expect((await send('!CLIP 45 "funny moment"')).map((f) => f.args)).toEqual([['45', 'funny moment']]);
    expect(await send('!c')).toHaveLength(1);
    expect(await send('please !clip that')).toHaveLength(0);
    expect(await send('!clipper')).toHaveLength(0);
    await t.stop();
  });

  it('keyword: whole words in any script, many keywords, reports the keyword', async () => {
    const { t, send } = await kernelWith([{ id: 'gg', type: 'keyword', params: { keywords: ['gg', 'good game', 'пока'] }, actions: record() }]);
    expect((await send('that was a GOOD GAME!')).map((f) => f.args)).toEqual([['GOOD GAME']]);
    expect(await send('ggwp')).toHaveLength(0);
    expect(await send('eggs')).toHaveLength(0);
    expect(await send('ну пока!')).toHaveLength(1);
    expect(await send('покажи')).toHaveLength(0);
    await t.stop();
  });

  it('regex: compiled once, capture groups become args, no literal still matches', async () => {
    const { t, send } = await kernelWith([
      { id: 'score', type: 'regex', params: { pattern: 'score (\\d+)-(\\d+)', flags: 'i' }, actions: record() },
      { id: 'digits', type: 'regex', params: { pattern: '^\\d{4}$' }, actions: record() },
    ]);
    expect((await send('Score 3-1 now')).map((f) => f.args)).toEqual([['3', '1']]);
    expect((await send('2026')).map((f) => f.triggerId)).toEqual(['digits']);
    expect(await send('scored')).toHaveLength(0);
    await t.stop();
  });
});

describe('filters', () => {
  it('platforms, roles (broadcaster always passes) and minimum amount', async () => {
    const { t, send } = await kernelWith([
      { id: 'yt', type: 'command', params: { command: '!yt' }, platforms: ['youtube'], actions: record() },
      { id: 'mod', type: 'command', params: { command: '!mod' }, roles: ['moderator'], actions: record() },
      { id: 'big', type: 'keyword', params: { keywords: ['hype'] }, minAmountMicros: 5_000_000, actions: record() },
    ]);
    expect(await send('!yt')).toHaveLength(0);
    expect(await send('!yt', { platform: 'youtube' })).toHaveLength(1);
    expect(await send('!mod')).toHaveLength(0);
    expect(await send('!mod', { roles: ['moderator'] })).toHaveLength(1);
    expect(await send('!mod', { user: 'owner', roles: ['broadcaster'] })).toHaveLength(1);
    expect(await send('hype', { monetary: { kind: 'bits', amountMicros: 100_000_000, currency: 'BITS' } })).toHaveLength(1);
    expect(await send('hype', { monetary: { kind: 'superchat', amountMicros: 1_000_000, currency: 'USD' } })).toHaveLength(0);
    expect(await send('hype')).toHaveLength(0);
    await t.stop();
  });
});

describe('cooldowns', () => {
  it('user and creator levels', async () => {
    const clock = fakeClock();
    const { t, send } = await kernelWith(
      [
        { id: 'u', type: 'command', params: { command: '!u' }, cooldown: { user: '30s' }, actions: record() },
        { id: 'c', type: 'command', params: { command: '!c' }, cooldown: { creator: '1m' }, actions: record() },
      ],
      { clock },
    );
    expect(await send('!u', { user: 'ann' })).toHaveLength(1);
    expect(await send('!u', { user: 'ann' })).toHaveLength(0);
    expect(await send('!u', { user: 'bob' })).toHaveLength(1);
    clock.advance(30_000);
    expect(await send('!u', { user: 'ann' })).toHaveLength(1);
    expect(await send('!c', { user: 'ann' })).toHaveLength(1);
    expect(await send('!c', { user: 'bob' })).toHaveLength(0);
    clock.advance(59_999);
    expect(await send('!c', { user: 'bob' })).toHaveLength(0);
    clock.advance(1);
    expect(await send('!c', { user: 'bob' })).toHaveLength(1);
    await t.stop();
  });

  it('global level spans creators; creator level does not', async () => {
    const clock = fakeClock();
    const { t, send } = await kernelWith(
      [
        { id: 'g', type: 'command', params: { command: '!g' }, cooldown: { global: '10s' }, actions: record() },
        { id: 'c', type: 'command', params: { command: '!c' }, cooldown: { creator: '10s' }, actions: record() },
      ],
      { clock, creators: ['alice', 'bob'] },
    );
    expect(await send('!g', { creatorId: 'alice' })).toHaveLength(1);
    expect(await send('!g', { creatorId: 'bob' })).toHaveLength(0);
    expect(await send('!c', { creatorId: 'alice' })).toHaveLength(1);
    expect(await send('!c', { creatorId: 'bob' })).toHaveLength(1);
    await t.stop();
  });

  it('survive a restart through the state store', async () => {
    const clock = fakeClock();
    const store = new MapStateStore();
    const triggers: TriggerDefinition[] = [{ type: 'command', params: { command: '!clip' }, cooldown: { creator: '5m' }, actions: record() }];
    const first = await kernelWith(triggers, { clock, store });
    expect(await first.send('!clip')).toHaveLength(1);
    await first.t.stop();
    clock.advance(60_000);
    const second = await kernelWith(triggers, { clock, store });
    expect(await second.send('!clip')).toHaveLength(0);
    clock.advance(240_000);
    expect(await second.send('!clip')).toHaveLength(1);
    await second.t.stop();
  });
});

describe('actions', () => {
  it('templating fills {user}, {args}, {arg1}, {args:2}; strings convert to the schema type', async () => {
    const { t, send, calls } = await kernelWith([
      { id: 'clip', type: 'command', params: { command: '!clip' }, actions: record({ seconds: '{arg1}', note: '{user} clipped "{args:2}" ({args}) on {platform}' }) },
    ]);
    await send('!clip 45 funny moment', { user: 'ann' });
    expect(calls).toEqual([{ creatorId: 'alice', params: { seconds: 45, note: 'Ann clipped "funny moment" (45 funny moment) on twitch' } }]);
    expect(t.events.of('action.dispatched')[0]).toMatchObject({ dryRun: false, triggerId: 'clip', action: { params: { seconds: 45 } } });
    await t.stop();
  });

  it('params that fail the schema after templating become action.failed, not a crash', async () => {
    const { t, send, calls } = await kernelWith([{ id: 'clip', type: 'command', params: { command: '!clip' }, actions: record({ seconds: '{arg1}' }) }]);
    await send('!clip lots');
    expect(calls).toHaveLength(0);
    expect(t.events.of('action.failed')[0]?.error.code).toBe('SS_ERR_ACTION_PARAMS_INVALID');
    await t.stop();
  });

  it('dry-run records what would run without running it', async () => {
    const { t, send, calls } = await kernelWith([{ id: 'clip', type: 'command', params: { command: '!clip' }, actions: record({ note: 'x' }) }], { dryRun: true });
    await send('!clip');
    expect(calls).toHaveLength(0);
    expect(t.events.of('action.dispatched')).toMatchObject([{ dryRun: true, action: { type: 'test.record' } }]);
    const dispatcher = t.kernel.resolve(actionDispatcherRef);
    expect(dispatcher.recent().map((r) => r.outcome)).toEqual(['dry-run']);
    await t.stop();
  });

  it('a throwing handler becomes action.failed with the action id; a hanging one times out', async () => {
    const failing = await kernelWith([{ id: 'x', type: 'command', params: { command: '!x' }, actions: record() }], { handler: { fail: true } });
    await failing.send('!x');
    expect(failing.t.events.of('action.failed')[0]).toMatchObject({ error: { code: 'SS_ERR_ACTION_FAILED' }, triggerId: 'x' });
    expect(failing.t.events.of('action.failed')[0]!.actionId).toMatch(/^twitch:msg-\d+:x:0$/);
    expect(failing.t.logs.text()).toContain('handler boom');
    await failing.t.stop();

    const hanging = await kernelWith([{ id: 'x', type: 'command', params: { command: '!x' }, actions: record() }], { handler: { hang: true, timeoutMs: 30 } });
    await hanging.send('!x');
    expect(hanging.t.events.of('action.failed')[0]?.error.code).toBe('SS_ERR_ACTION_TIMEOUT');
    await hanging.t.stop();
  });

  it('chat.reply goes to the handler of the message platform', async () => {
    const seen: string[] = [];
    const platform = (id: string) =>
      definePlugin({
        id,
        version: '1.0.0',
        kernel: '^0.2.0',
        register: (reg) =>
          reg.onInit({
            deps: { actions: actionDispatcherRef },
            init: ({ deps }) =>
              void deps.actions.registerHandler<{ text: string }>({ type: 'chat.reply', platform: id, handle: (p) => void seen.push(`${id}:${p.text}`) }),
          }),
      });
    const { t, send } = await kernelWith([{ type: 'command', params: { command: '!hi' }, actions: [{ type: 'chat.reply', params: { text: 'hi {user}' } }] }], {
      plugins: [platform('twitch'), platform('youtube')],
    });
    await send('!hi', { platform: 'youtube', user: 'ann' });
    await send('!hi', { platform: 'twitch', user: 'bob' });
    await send('!hi', { platform: 'rumble', user: 'cy' });
    expect(seen).toEqual(['youtube:hi Ann', 'twitch:hi Bob']);
    expect(t.events.of('action.failed')[0]?.error.code).toBe('SS_ERR_ACTION_NO_HANDLER');
    await t.stop();
  });
});

describe('third-party trigger types', () => {
  it('a plugin adds a type through triggerTypesExtensionPoint, indexed by its own keys (the creator enables that plugin)', async () => {
    const shout = definePlugin({
      id: 'shout',
      version: '1.0.0',
      kernel: '^0.2.0',
      register(reg) {
        reg.extend(triggerTypesExtensionPoint, {
          type: 'shout',
          paramsSchema: Type.Object({ word: Type.String({ minLength: 2 }) }),
          compile: ({ word }: { word: string }) => ({ upper: word.toUpperCase() }),
          index: () => ({}),
          match: (message, state: { upper: string }) => (message.text.includes(state.upper) ? [state.upper] : undefined),
        });
      },
    });
    const { t, send } = await kernelWith([{ id: 's', type: 'shout', params: { word: 'pog' }, actions: record() }], { plugins: [shout], enable: ['shout'] });
    expect((await send('omg POG')).map((f) => f.args)).toEqual([['POG']]);
    expect(await send('pog')).toHaveLength(0);
    await t.stop();
  });
});

describe('runtime triggers', () => {
  it('add and remove at runtime; invalid ones are refused with a coded error', async () => {
    const { t, send } = await kernelWith([]);
    const registry = t.kernel.resolveFor('alice', triggerRegistryRef);
    const id = registry.add({ type: 'keyword', params: { keywords: ['hello'] }, actions: record() });
    expect(id).toMatch(/^keyword:[0-9a-f]{12}$/);
    expect(await send('well hello there')).toHaveLength(1);
    expect(() => registry.add({ type: 'keyword', params: { keywords: ['hello'] }, actions: record() })).toThrow(
      expect.objectContaining({ code: 'SS_ERR_TRIGGER_DUPLICATE_ID' }),
    );
    // A pattern that backtracks catastrophically in V8 is harmless on RE2: accepted, and a long near-miss answers.
    const nested = registry.add({ type: 'regex', params: { pattern: '(a+)+$' }, actions: record() });
    expect(await send(`${'a'.repeat(10_000)}!`)).toHaveLength(0);
    expect(registry.remove(nested)).toBe(true);
    expect(() => registry.add({ type: 'regex', params: { pattern: '(a)\\1' }, actions: record() })).toThrow(
      expect.objectContaining({ code: 'SS_ERR_TRIGGER_REGEX_UNSUPPORTED' }),
    );
    expect(registry.remove(id)).toBe(true);
    expect(await send('well hello there')).toHaveLength(0);
    await t.stop();
  });
});

describe('load-time validation', () => {
  it('reports every bad trigger with its path when the kernel is created', async () => {
    const { plugin } = recorder();
    const error = await createKernel(withDefaults({
      plugins: [plugin],
      logLevel: 'silent',
      services: [{ ref: stateStoreRef, factory: () => new MapStateStore() }],
      manifest: {
        creators: {
          alice: {
            enable: ['recorder'],
            triggers: [
              { type: 'regex', params: { pattern: '(\\w+) \\1' }, actions: record() },
              { type: 'regex', params: { pattern: '([a-z' }, actions: record() },
              { type: 'sparkle', params: {}, actions: record() },
              { type: 'command', params: { command: '!x' }, actions: [{ type: 'clip.create', params: {} }] },
              { type: 'command', params: { command: '!y' }, actions: record({ seconds: 500 }) },
              { type: 'command', params: { command: '!z' }, cooldown: { user: '99999999h' }, actions: record() },
              { id: 'dup', type: 'command', params: { command: '!a' }, actions: record() },
              { id: 'dup', type: 'command', params: { command: '!b' }, actions: record() },
            ],
          },
        },
      },
    })).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SS_ERR_MANIFEST_INVALID' });
    const issues = (error as { details: { issues: { code: string; path: string }[] } }).details.issues.map((i) => [i.code, i.path]);
    expect(issues).toEqual([
      ['SS_ERR_TRIGGER_REGEX_UNSUPPORTED', '/creators/alice/triggers/0/params'],
      ['SS_ERR_TRIGGER_INVALID', '/creators/alice/triggers/1/params'],
      ['SS_ERR_TRIGGER_TYPE_UNKNOWN', '/creators/alice/triggers/2/type'],
      ['SS_ERR_ACTION_UNKNOWN', '/creators/alice/triggers/3/actions/0/type'],
      ['SS_ERR_ACTION_PARAMS_INVALID', '/creators/alice/triggers/4/actions/0/params/seconds'],
      ['SS_ERR_TRIGGER_INVALID', '/creators/alice/triggers/5/cooldown/user'],
      ['SS_ERR_TRIGGER_DUPLICATE_ID', '/creators/alice/triggers/7'],
    ]);
  });
});

describe('chatPipelineRef', () => {
  it('submit runs a message that never was on the bus through the triggers and resolves when its actions finished', async () => {
    const { t, calls } = await kernelWith([{ id: 'hi', type: 'command', params: { command: '!hi' }, actions: record({ note: 'hello' }) }]);
    const pipeline = t.kernel.resolve(chatPipelineRef);
    await pipeline.submit(chat('!hi'));
    expect(calls).toEqual([{ params: { note: 'hello' }, creatorId: 'alice' }]);
    expect(t.events.of('chat.message')).toEqual([]);
    // A creator not running here: ignored.
    await pipeline.submit(chat('!hi', { creatorId: 'nobody' }));
    expect(calls).toHaveLength(1);
    await t.stop();
  });

  it('a redelivered message skips the actions the journal records as done and passes the cooldown it set itself', async () => {
    const { done, journal } = memoryJournal();
    const { t, calls } = await kernelWith(
      [{ id: 'two', type: 'command', params: { command: '!two' }, cooldown: { creator: '1m' }, actions: [...record({ note: 'a' }), ...record({ note: 'b' })] }],
      { journal },
    );
    const pipeline = t.kernel.resolve(chatPipelineRef);
    const message = chat('!two', { id: 'm1' });
    await pipeline.submit(message);
    expect(calls.map((c) => c.params['note'])).toEqual(['a', 'b']);
    expect([...done].sort()).toEqual([`${message.platform}:m1:two:0`, `${message.platform}:m1:two:1`]);

    // Its first run was cut short after the first action: the redelivery runs only the second.
    done.delete(`${message.platform}:m1:two:1`);
    const dispatched = t.events.of('action.dispatched').length;
    await pipeline.submit(message, { redelivered: true });
    expect(calls.map((c) => c.params['note'])).toEqual(['a', 'b', 'b']);
    expect(t.kernel.resolve(actionDispatcherRef).recent().slice(-2).map((r) => r.outcome)).toEqual(['duplicate', 'executed']);
    // No event for the skipped one: its events went out when it ran.
    expect(t.events.of('action.dispatched')).toHaveLength(dispatched + 1);

    // Another message still meets the cooldown the first one set.
    await pipeline.submit(chat('!two', { id: 'm2' }), { redelivered: true });
    expect(calls).toHaveLength(3);
    await t.stop();
  });

  it('a redelivered action that ran already is not judged again by the guards (no second use, no refusal)', async () => {
    const { journal } = memoryJournal();
    let checks = 0;
    // One use ever: a second check refuses.
    const oneUse = definePlugin({
      id: 'one-use',
      version: '1.0.0',
      kernel: '^0.2.0',
      register(reg) {
        reg.extend(actionGuardsExtensionPoint, { id: 'oneUse', types: ['test.record'], check: () => (++checks > 1 ? { refuse: new SS_ERR_TEST_USED() } : undefined) });
      },
    });
    const { t, calls } = await kernelWith([{ id: 'hi', type: 'command', params: { command: '!hi' }, actions: record() }], { journal, plugins: [oneUse], enable: ['one-use'] });
    const pipeline = t.kernel.resolve(chatPipelineRef);
    const message = chat('!hi', { id: 'm1' });
    await pipeline.submit(message);
    await pipeline.submit(message, { redelivered: true });
    expect(calls).toHaveLength(1);
    expect(checks).toBe(1);
    expect(t.kernel.resolve(actionDispatcherRef).recent().map((r) => r.outcome)).toEqual(['executed', 'duplicate']);
    expect(t.events.of('action.failed')).toEqual([]);
    await t.stop();
  });

  it('a journal that fails is logged: the action runs (a repeat rather than a loss) and its outcome stands', async () => {
    const journal: ActionJournal = {
      done: () => Promise.reject(new Error('journal down')),
      record: () => Promise.reject(new Error('journal down')),
    };
    const { t, calls } = await kernelWith([{ id: 'hi', type: 'command', params: { command: '!hi' }, actions: record() }], { journal });
    const pipeline = t.kernel.resolve(chatPipelineRef);
    await pipeline.submit(chat('!hi', { id: 'm1' }), { redelivered: true });
    expect(calls).toHaveLength(1);
    expect(t.kernel.resolve(actionDispatcherRef).recent().map((r) => r.outcome)).toEqual(['executed']);
    expect(t.logs.lines.filter((l) => /could not (tell whether|record that) action/.test(String(l.msg)))).toHaveLength(2);
    await t.stop();
  });
});
