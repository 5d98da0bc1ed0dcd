import { describe, expect, it } from 'vitest';
import {
  actionDispatcherRef,
  actionTypesExtensionPoint,
  defineTriggerType,
  definePlugin,
  stateStoreRef,
  triggerRegistryRef,
  triggerTypesExtensionPoint,
  Type,
  type ManifestIssue,
  type TriggerDefinition,
} from '@streamsuites/kernel';
import { chatMessage } from '@streamsuites/kernel/testing';
import { MapStateStore } from './helpers/chat.js';
import { startTestKernel } from './helpers/kernel.js';

/** Trigger types with bugs, one with defaulted params, and a `test.note` action that records what ran. */
function plugins() {
  const notes: string[] = [];
  const testing = definePlugin({
    id: 'testing',
    version: '1.0.0',
    kernel: '^0.2.0',
    register(reg) {
      reg.extend(actionTypesExtensionPoint, { type: 'test.note', paramsSchema: Type.Object({ note: Type.String() }) });
      // Throws from match() itself when the text contains `when` (every message by default).
      reg.extend(
        triggerTypesExtensionPoint,
        defineTriggerType({
          type: 'boom',
          paramsSchema: Type.Object({ when: Type.String({ default: '' }) }, { additionalProperties: false }),
          match(message, { when }) {
            if (message.text.includes(when)) throw new Error(`match bug on "${message.text}"`);
            return undefined;
          },
        }),
      );
      // Throws from a matcher its compile() built.
      reg.extend(
        triggerTypesExtensionPoint,
        defineTriggerType({
          type: 'built',
          paramsSchema: Type.Object({}),
          compile: () => ({ matcher: (text: string): string[] => [text.toUpperCase().repeat(-1)] }),
          match: (message, state) => state.matcher(message.text),
        }),
      );
      // Returns something other than string[] or undefined.
      reg.extend(triggerTypesExtensionPoint, { type: 'sloppy', paramsSchema: Type.Object({}), match: () => true as unknown as string[] });
      // Every param optional or defaulted: a trigger of this type may leave out `params`.
      reg.extend(
        triggerTypesExtensionPoint,
        defineTriggerType({
          type: 'everyone',
          paramsSchema: Type.Object(
            { prefix: Type.String({ default: '' }), minLength: Type.Integer({ minimum: 0, default: 1 }), note: Type.Optional(Type.String()) },
            { additionalProperties: false },
          ),
          match: (message, { prefix, minLength }) => (message.text.startsWith(prefix) && message.text.length >= minLength ? [message.text] : undefined),
        }),
      );
      reg.onInit({
        deps: { actions: actionDispatcherRef },
        init({ deps }) {
          deps.actions.registerHandler({ type: 'test.note', handle: async (params) => void notes.push(String(params.note)) });
        },
      });
    },
  });
  return { testing, notes };
}

const note = (text: string) => [{ type: 'test.note', params: { note: text } }];

async function kernelWith(triggers: TriggerDefinition[]) {
  const { testing, notes } = plugins();
  const t = await startTestKernel({
    plugins: [testing],
    manifest: { creators: { alice: { enable: ['testing'], triggers } } },
    services: [{ ref: stateStoreRef, factory: () => new MapStateStore() }],
  });
  const send = async (text: string) => {
    const message = chatMessage({ creatorId: 'alice', text });
    t.bus.emit('chat.message', message);
    await t.kernel.idle();
    return message;
  };
  return { t, notes, send, registry: t.kernel.resolveFor('alice', triggerRegistryRef) };
}

async function loadIssues(triggers: unknown[]): Promise<ManifestIssue[]> {
  const error = await kernelWith(triggers as TriggerDefinition[]).catch((e: unknown) => e);
  expect(error).toMatchObject({ code: 'SS_ERR_MANIFEST_INVALID' });
  return (error as { details: { issues: ManifestIssue[] } }).details.issues;
}

describe('a trigger whose match() throws', () => {
  it('is skipped for that message only: the other triggers fire, trigger.failed is emitted, the failure is counted', async () => {
    // The throwing trigger comes first: its throw must not cut the loop over the message's candidates.
    const { t, notes, send, registry } = await kernelWith([
      { id: 'explodes', type: 'boom', actions: note('never') },
      { id: 'hello', type: 'command', params: { command: '!hello' }, actions: note('hello ran') },
    ]);
    const first = await send('!hello');
    expect(t.events.of('trigger.fired').map((f) => f.triggerId)).toEqual(['hello']);
    expect(notes).toEqual(['hello ran']);
    expect(t.events.of('trigger.failed')).toEqual([
      {
        creatorId: 'alice',
        triggerId: 'explodes',
        triggerType: 'boom',
        messageId: first.id,
        platform: 'twitch',
        code: 'SS_ERR_TRIGGER_MATCH_FAILED',
        error: expect.objectContaining({
          code: 'SS_ERR_TRIGGER_MATCH_FAILED',
          message: 'Trigger "explodes" (type boom) threw while matching a message; it was skipped for that message',
          hint: expect.stringContaining('"boom"'),
          details: { triggerId: 'explodes', messageId: first.id },
          cause: { name: 'Error', message: 'match bug on "!hello"' },
        }),
        at: expect.any(Number),
      },
    ]);
    expect(JSON.parse(JSON.stringify(t.events.of('trigger.failed')[0]))).toEqual(t.events.of('trigger.failed')[0]);
    expect(registry.failures()).toEqual({ explodes: 1 });

    // Not disabled for good: tried again on the next message, and counted again.
    await send('!hello again');
    expect(notes).toEqual(['hello ran', 'hello ran']);
    expect(t.events.of('trigger.failed').map((e) => e.triggerId)).toEqual(['explodes', 'explodes']);
    expect(registry.failures()).toEqual({ explodes: 2 });
    // Logged once per trigger (the event and the count tell the rest), at warn.
    const logged = t.logs.lines.filter((l) => l.msg === t.events.of('trigger.failed')[0]!.error.message);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ level: 40, trigger: 'explodes', type: 'boom' });
    // Nothing leaked out of the pipeline as a listener error.
    expect(t.events.of('kernel.listener.error')).toEqual([]);
  });

  it('a matcher built by compile() that throws, and a match() that returns a non-array, are failures of their trigger too', async () => {
    const { t, notes, send, registry } = await kernelWith([
      { id: 'built', type: 'built', actions: note('never') },
      { id: 'sloppy', type: 'sloppy', actions: note('never') },
      { id: 'all', type: 'everyone', actions: note('all ran') },
    ]);
    await send('hi');
    expect(notes).toEqual(['all ran']);
    const failed = t.events.of('trigger.failed');
    expect(failed.map((e) => [e.triggerId, e.error.cause?.name, e.error.cause?.message])).toEqual([
      ['built', 'RangeError', 'Invalid count value: -1'],
      ['sloppy', 'TypeError', 'match() returned boolean, not string[] or undefined'],
    ]);
    expect(registry.failures()).toEqual({ built: 1, sloppy: 1 });
    // Removing a trigger forgets its count.
    expect(registry.remove('sloppy')).toBe(true);
    expect(registry.failures()).toEqual({ built: 1 });
  });

  it('a trigger that never throws keeps the failure count empty', async () => {
    const { send, registry } = await kernelWith([{ id: 'quiet', type: 'boom', params: { when: 'kaboom' }, actions: note('never') }]);
    await send('calm chat');
    expect(registry.failures()).toEqual({});
  });

  it('an index() that throws at load is a problem of that trigger, reported with the others, not a crash', async () => {
    const broken = definePlugin({
      id: 'broken',
      version: '1.0.0',
      kernel: '^0.2.0',
      register(reg) {
        reg.extend(triggerTypesExtensionPoint, {
          type: 'badindex',
          paramsSchema: Type.Object({}),
          index: () => {
            throw new Error('index bug');
          },
          match: () => undefined,
        });
      },
    });
    const error = await startTestKernel({
      plugins: [broken],
      manifest: { creators: { alice: { enable: ['broken'], triggers: [{ type: 'badindex', actions: [{ type: 'chat.reply', params: { text: 'x' } }] }] } } },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SS_ERR_MANIFEST_INVALID' });
    expect((error as { details: { issues: ManifestIssue[] } }).details.issues).toEqual([
      expect.objectContaining({ code: 'SS_ERR_TRIGGER_INVALID', path: '/creators/alice/triggers/0/params', message: 'index bug' }),
    ]);
  });
});

describe('params left out of a trigger', () => {
  it('are fine when the type has no required param: the defaults are filled in', async () => {
    const { registry, notes, send } = await kernelWith([{ id: 'all', type: 'everyone', actions: note('{text}') }]);
    expect(registry.list()).toEqual([expect.objectContaining({ id: 'all', params: { prefix: '', minLength: 1 } })]);
    await send('anything');
    expect(notes).toEqual(['anything']);
    // Also at runtime, and the derived id is the one of the same trigger with its defaults written out.
    const id = registry.add({ type: 'everyone', actions: note('x') });
    expect(() => registry.add({ type: 'everyone', params: { prefix: '', minLength: 1 }, actions: note('x') })).toThrow(
      expect.objectContaining({ code: 'SS_ERR_TRIGGER_DUPLICATE_ID', message: expect.stringContaining(id) }),
    );
  });

  it('are refused when the type requires one, naming the missing param', async () => {
    const issues = await loadIssues([{ type: 'command', actions: note('x') }]);
    expect(issues).toEqual([
      {
        code: 'SS_ERR_TRIGGER_INVALID',
        path: '/creators/alice/triggers/0/params',
        message: 'must have required properties command',
        hint: expect.stringMatching(/^Add params\.command \(a string of 1-100 characters/),
      },
    ]);
  });
});
