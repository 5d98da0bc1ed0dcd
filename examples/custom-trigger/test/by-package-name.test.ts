import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { actionDispatcherRef, definePlugin, triggerRegistryRef, type ChatEmote } from '@streamsuites/kernel';
import { chatMessage, createTempDirs, startTestKernel } from '@streamsuites/testing';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
const MANIFEST = fileURLToPath(new URL('./fixtures/host/streamsuites.json', import.meta.url));

const temp = createTempDirs('ss-emote-combo-host-');
afterEach(() => temp.removeAll());

beforeAll(() => {
  // The kernel imports plugin packages by name, i.e. their dist/ (npm test builds first).
  if (!existsSync(join(PACKAGE_DIR, 'dist', 'index.js'))) {
    throw new Error('examples/custom-trigger/dist/index.js is missing: run `npm test` (it builds first) or `pnpm --filter streamsuites-plugin-emote-combo run build`');
  }
});

/**
 * A host folder as a host that installed the package has it: the manifest,
 * and node_modules/streamsuites-plugin-emote-combo linked to this package
 * (pnpm and `npm link` install the same way; a junction on Windows).
 */
function hostFolder(): string {
  const host = temp.make();
  copyFileSync(MANIFEST, join(host, 'streamsuites.json'));
  mkdirSync(join(host, 'node_modules'));
  symlinkSync(PACKAGE_DIR, join(host, 'node_modules', 'streamsuites-plugin-emote-combo'), 'junction');
  return join(host, 'streamsuites.json');
}

/** Stands in for a platform plugin: answers chat.reply on Twitch by recording the reply. */
function fakeChat(replies: { creatorId: string; text: string }[]) {
  return definePlugin({
    id: 'fake-chat',
    version: '1.0.0',
    kernel: '^0.2.0',
    register(reg) {
      reg.onInit({
        deps: { actions: actionDispatcherRef },
        init: ({ deps }) =>
          void deps.actions.registerHandler<{ text: string }>({
            type: 'chat.reply',
            platform: 'twitch',
            handle: (params, ctx) => void replies.push({ creatorId: ctx.creatorId, text: params.text }),
          }),
      });
    },
  });
}

const emote = (name: string): ChatEmote => ({ id: `id-${name}`, name, start: 0, end: name.length });

describe('streamsuites-plugin-emote-combo, loaded by package name from a JSON manifest', () => {
  it('adds the emoteCombo trigger type; a combo fires chat.reply once, with the emote and the count', async () => {
    const replies: { creatorId: string; text: string }[] = [];
    const t = await startTestKernel({ manifest: hostFolder(), plugins: [fakeChat(replies)] });
    expect(t.kernel.status().plugins.map((p) => [p.id, p.status])).toEqual(
      expect.arrayContaining([['emote-combo', 'running'], ['fake-chat', 'running']]),
    );
    const T0 = Date.UTC(2026, 10, 27, 20);
    const say = async (creatorId: string, sec: number, user: string, ...emotes: string[]) => {
      t.bus.emit('chat.message', chatMessage({ creatorId, receivedAt: T0 + sec * 1000, author: { login: user }, text: emotes.join(' ') || 'hi', emotes: emotes.map(emote) }));
      await t.kernel.idle();
    };

    await say('alice', 0, 'anna', 'Kappa');
    await say('alice', 1, 'ben', 'LUL');
    await say('alice', 2, 'cleo', 'Kappa');
    expect(replies).toEqual([]);
    await say('alice', 3, 'dan', 'Kappa', 'LUL');
    expect(replies).toEqual([{ creatorId: 'alice', text: '3x Kappa combo!' }]);
    await say('alice', 4, 'eve', 'Kappa');
    expect(replies).toHaveLength(1); // once per combo, then it counts again

    // bob's trigger has no params: the defaults (5 messages within 10 s, any emote) apply.
    expect(t.kernel.resolveFor('bob', triggerRegistryRef).list()[0]!.params).toEqual({ count: 5, windowSec: 10 });
    for (let i = 0; i < 5; i++) await say('bob', i, `viewer${i}`, 'PogChamp');
    expect(replies.slice(1)).toEqual([{ creatorId: 'bob', text: 'PogChamp combo' }]);

    expect(t.events.of('trigger.fired').map((f) => [f.creatorId, f.triggerId, f.args])).toEqual([
      ['alice', 'kappa-combo', ['Kappa', '3']],
      ['bob', 'any-combo', ['PogChamp', '5']],
    ]);
    expect(t.events.of('trigger.failed')).toEqual([]);
    expect(t.events.of('action.failed')).toEqual([]);
  });

  it('bad params in the manifest are reported with their path and the plugin that declared the type', async () => {
    const manifest = hostFolder();
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('"count": 3', '"count": 1'));
    const error = await startTestKernel({ manifest, plugins: [fakeChat([])] }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SS_ERR_MANIFEST_INVALID' });
    expect((error as { details: { issues: unknown[] } }).details.issues).toEqual([
      expect.objectContaining({ code: 'SS_ERR_TRIGGER_INVALID', path: '/creators/alice/triggers/0/params/count', hint: expect.stringContaining('emote-combo') }),
    ]);
  });
});
