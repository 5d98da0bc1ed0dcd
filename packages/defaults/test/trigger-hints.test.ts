import { describe, expect, it } from 'vitest';
import {
  actionDispatcherRef,
  actionTypesExtensionPoint,
  createKernel,
  definePlugin,
  stateStoreRef,
  triggerRegistryRef,
  triggerTypesExtensionPoint,
  Type,
  type ManifestIssue,
  type TriggerDefinition,
} from '@streamsuites/kernel';
import { withDefaults } from '../src/index.js';
import { MapStateStore } from './helpers/chat.js';
import { startTestKernel } from './helpers/kernel.js';

const DEFAULTS_DOCS = 'the "Chat triggers and actions" section of the @streamsuites/defaults README';

/** A third-party plugin adding an action type and a trigger type. */
const extras = definePlugin({
  id: 'extras',
  version: '1.0.0',
  kernel: '^0.2.0',
  register(reg) {
    reg.extend(actionTypesExtensionPoint, {
      type: 'test.record',
      paramsSchema: Type.Object(
        { note: Type.Optional(Type.String({ maxLength: 20 })), seconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 120 })) },
        { additionalProperties: false },
      ),
    });
    reg.extend(triggerTypesExtensionPoint, {
      type: 'shout',
      paramsSchema: Type.Object({ word: Type.String({ minLength: 2 }) }, { additionalProperties: false }),
      match: () => undefined,
    });
  },
});

const reply = [{ type: 'chat.reply', params: { text: 'ok' } }];

/** The issues createKernel reports for one creator's triggers (what `streamsuites validate` prints). */
async function triggerIssues(triggers: unknown[]): Promise<ManifestIssue[]> {
  const error = await createKernel(withDefaults({
    plugins: [extras],
    logLevel: 'silent',
    services: [{ ref: stateStoreRef, factory: () => new MapStateStore() }],
    manifest: { creators: { alice: { enable: ['extras'], triggers: triggers as TriggerDefinition[] } } },
  })).catch((e: unknown) => e);
  expect(error).toMatchObject({ code: 'SS_ERR_MANIFEST_INVALID' });
  return (error as { details: { issues: ManifestIssue[] } }).details.issues;
}

const hints = (issues: ManifestIssue[]) => issues.map((i) => [i.code, i.path.replace('/creators/alice/triggers/', ''), i.hint]);

describe('unknown action and trigger types: did-you-mean, or the official plugin that adds them', () => {
  it('names the official plugin and its package for clip.create and poll.open, and suggests close known types', async () => {
    const issues = await triggerIssues([
      { type: 'command', params: { command: '!clip' }, actions: [{ type: 'clip.create', params: { seconds: 30 } }] },
      { type: 'command', params: { command: '!poll' }, actions: [{ type: 'poll.open', params: {} }] },
      { type: 'command', params: { command: '!a' }, actions: [{ type: 'chat.replay', params: { text: 'x' } }] },
      { type: 'command', params: { command: '!b' }, actions: [{ type: 'test.recrod', params: {} }] },
      { type: 'command', params: { command: '!c' }, actions: [{ type: 'clips.create', params: {} }] },
      { type: 'command', params: { command: '!d' }, actions: [{ type: 'discord.post', params: {} }] },
    ]);
    expect(hints(issues)).toEqual([
      [
        'SS_ERR_ACTION_UNKNOWN',
        '0/actions/0/type',
        '"clip.create" is added by the plugin "clips", which is not loaded: add "clips": { "package": "@streamsuites/plugin-clips" } to "plugins" and "clips" to this creator\'s "enable".',
      ],
      [
        'SS_ERR_ACTION_UNKNOWN',
        '1/actions/0/type',
        '"poll.open" is added by the plugin "engagement", which is not loaded: add "engagement": { "package": "@streamsuites/plugin-engagement" } to "plugins" and "engagement" to this creator\'s "enable".',
      ],
      ['SS_ERR_ACTION_UNKNOWN', '2/actions/0/type', 'Check the spelling. Did you mean "chat.reply"?'],
      ['SS_ERR_ACTION_UNKNOWN', '3/actions/0/type', 'Check the spelling. Did you mean "test.record"?'],
      [
        'SS_ERR_ACTION_UNKNOWN',
        '4/actions/0/type',
        'Check the spelling. Did you mean "clip.create"? It is added by the plugin "clips", which is not loaded: add "clips": { "package": "@streamsuites/plugin-clips" } to "plugins" and "clips" to this creator\'s "enable".',
      ],
      [
        'SS_ERR_ACTION_UNKNOWN',
        '5/actions/0/type',
        'Use one of the known action types, or declare in "plugins" the plugin that adds "discord.post" and enable it for this creator (its README names its action types).',
      ],
    ]);
    // Never an install command, and never a package name that is not an official one.
    const text = JSON.stringify(issues);
    expect(text).not.toContain('pnpm add');
    expect([...text.matchAll(/@streamsuites\/[a-z-]+/g)].map((m) => m[0]).filter((name) => !['@streamsuites/plugin-clips', '@streamsuites/plugin-engagement'].includes(name))).toEqual([]);
  });

  it('an unknown trigger type suggests the known one, and its cooldowns and actions are still checked', async () => {
    const issues = await triggerIssues([
      { type: 'comand', params: { command: '!x' }, cooldown: { user: '99999999h' }, actions: [{ type: 'chat.replay', params: {} }] },
      { type: 'shuot', params: {}, actions: reply },
      { type: 'sparkle', params: {}, actions: reply },
    ]);
    expect(hints(issues)).toEqual([
      ['SS_ERR_TRIGGER_TYPE_UNKNOWN', '0/type', 'Check the spelling. Did you mean "command"?'],
      ['SS_ERR_TRIGGER_INVALID', '0/cooldown/user', 'Write cooldown.user as a number and a unit (ms, s, m or h) of at most a year, such as "30s", "5m" or "1h".'],
      ['SS_ERR_ACTION_UNKNOWN', '0/actions/0/type', 'Check the spelling. Did you mean "chat.reply"?'],
      ['SS_ERR_TRIGGER_TYPE_UNKNOWN', '1/type', 'Check the spelling. Did you mean "shout"?'],
      [
        'SS_ERR_TRIGGER_TYPE_UNKNOWN',
        '2/type',
        `Use command, keyword or regex (described in ${DEFAULTS_DOCS}), or declare in "plugins" the plugin that adds "sparkle" and enable it for this creator.`,
      ],
    ]);
  });
});

describe('params problems: which param, what the schema wants, where the type is described', () => {
  it('trigger params of built-in and plugin types', async () => {
    const issues = await triggerIssues([
      { type: 'command', params: { command: 'two words' }, actions: reply },
      { type: 'command', params: {}, actions: reply },
      { type: 'command', params: { command: '!x', alises: ['!y'] }, actions: reply },
      { type: 'command', params: { command: '!z', aliases: ['!ok', ''] }, actions: reply },
      { type: 'keyword', params: { keywords: ['  '] }, actions: reply },
      { type: 'regex', params: { pattern: '([a-z' }, actions: reply },
      { type: 'regex', params: { pattern: 'x', flags: 'g' }, actions: reply },
      { type: 'shout', params: { word: 'a' }, actions: reply },
    ]);
    expect(hints(issues)).toEqual([
      ['SS_ERR_TRIGGER_INVALID', '0/params/command', `params.command should be a string of 1-100 characters matching ^\\S+$. The "command" trigger type is described in ${DEFAULTS_DOCS}.`],
      ['SS_ERR_TRIGGER_INVALID', '1/params', `Add params.command (a string of 1-100 characters matching ^\\S+$). The "command" trigger type is described in ${DEFAULTS_DOCS}.`],
      [
        'SS_ERR_TRIGGER_INVALID',
        '2/params/alises',
        `Remove the key or check its spelling. Did you mean "aliases"? The "command" trigger type takes command, aliases (described in ${DEFAULTS_DOCS}).`,
      ],
      ['SS_ERR_TRIGGER_INVALID', '3/params/aliases/1', `params.aliases[1] should be a string of 1-100 characters matching ^\\S+$. The "command" trigger type is described in ${DEFAULTS_DOCS}.`],
      ['SS_ERR_TRIGGER_INVALID', '4/params', 'Give params.keywords at least one keyword with a character other than spaces.'],
      ['SS_ERR_TRIGGER_INVALID', '5/params', expect.stringMatching(/^Write params\.pattern as a JavaScript regular expression/)],
      ['SS_ERR_TRIGGER_INVALID', '6/params/flags', `params.flags should be a string matching ^[imsuv]*$. The "regex" trigger type is described in ${DEFAULTS_DOCS}.`],
      ['SS_ERR_TRIGGER_INVALID', '7/params/word', 'params.word should be a string of at least 2 characters. The "shout" trigger type is described in the README of plugin "extras".'],
    ]);
  });

  it('action params of the built-in chat.reply and of a plugin type; templated strings wait for the message', async () => {
    const issues = await triggerIssues([
      { type: 'command', params: { command: '!a' }, actions: [{ type: 'chat.reply', params: {} }] },
      { type: 'command', params: { command: '!b' }, actions: [{ type: 'test.record', params: { seconds: 500, note: '{args}', colour: 'red' } }] },
      { type: 'command', params: { command: '!c' }, actions: [{ type: 'test.record', params: { seconds: '{arg1}' } }] },
    ]);
    expect(hints(issues)).toEqual([
      ['SS_ERR_ACTION_PARAMS_INVALID', '0/actions/0/params', `Add params.text (a string of 1-2000 characters). The "chat.reply" action type is described in ${DEFAULTS_DOCS}.`],
      [
        'SS_ERR_ACTION_PARAMS_INVALID',
        '1/actions/0/params/colour',
        'Remove the key or check its spelling. The "test.record" action type takes note, seconds (described in the README of plugin "extras").',
      ],
      ['SS_ERR_ACTION_PARAMS_INVALID', '1/actions/0/params/seconds', 'params.seconds should be a whole number from 1 to 120. The "test.record" action type is described in the README of plugin "extras".'],
    ]);
  });

  it('a trigger added at runtime is refused with the same hint; a dispatched action whose templated param fails says what it wants', async () => {
    const t = await startTestKernel({
      plugins: [extras],
      manifest: { creators: { alice: { enable: ['extras'] } } },
      services: [{ ref: stateStoreRef, factory: () => new MapStateStore() }],
    });
    const registry = t.kernel.resolveFor('alice', triggerRegistryRef);
    expect(() => registry.add({ type: 'comand', params: {}, actions: reply })).toThrow(
      expect.objectContaining({ code: 'SS_ERR_TRIGGER_TYPE_UNKNOWN', hint: 'Check the spelling. Did you mean "command"?' }),
    );
    expect(() => registry.add({ type: 'command', params: { command: '!x' }, extra: 1 } as unknown as TriggerDefinition)).toThrow(
      expect.objectContaining({ code: 'SS_ERR_TRIGGER_INVALID', hint: expect.stringMatching(/^Remove the key or check its spelling\. Allowed here: id, type, params, .*Triggers are described in/) }),
    );
    const dispatcher = t.kernel.resolve(actionDispatcherRef);
    expect(() => dispatcher.validate({ type: 'clip.create', params: {} })).toThrow(
      expect.objectContaining({ code: 'SS_ERR_ACTION_UNKNOWN', hint: expect.stringContaining('"package": "@streamsuites/plugin-clips"') }),
    );
    // A handler for an undeclared type is a plugin bug: the hint is for the plugin's author.
    expect(() => dispatcher.registerHandler({ type: 'test.recrod', handle() {} })).toThrow(
      expect.objectContaining({
        code: 'SS_ERR_ACTION_UNKNOWN',
        hint: 'Declare the action type in register() with reg.extend(actionTypesExtensionPoint, { type: \'test.recrod\', paramsSchema }) before registering its handler. Did you mean "test.record"?',
      }),
    );
    const record = await dispatcher.dispatch({ type: 'test.record', params: { seconds: 'lots' } }, { creatorId: 'alice', dryRun: true });
    expect(record.outcome).toBe('failed');
    expect(record.error).toMatchObject({
      code: 'SS_ERR_ACTION_PARAMS_INVALID',
      hint: 'params.seconds should be a whole number from 1 to 120. The "test.record" action type is described in the README of plugin "extras".',
    });
    await t.stop();
  });
});
