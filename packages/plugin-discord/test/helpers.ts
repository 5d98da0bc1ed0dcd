import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actionDispatcherRef, actionTypesExtensionPoint, busRef, definePlugin, Type, type AnyPlugin } from '@streamsuites/kernel';
import { startTestKernel } from '@streamsuites/testing';
import { afterEach } from 'vitest';
import discordPlugin from '../src/index.js';
import { startFakeDiscord, type FakeDiscord, type FakeInteractionInput } from '../src/testing.js';

export const GUILD = '185949590652000001';
export const OTHER_GUILD = '185949590652000999';
export const ANNOUNCE = '185949590652100001';
export const COMMANDS_CHANNEL = '185949590652100002';
export const ADMIN_ROLE = '185949590652200001';
export const TOKEN = 'MTAxNTk1NjE0NTk1ODE2NzYwOA.fake.discord-bot-token-for-tests';
/** Administrator (1 << 3) as Discord sends permissions: a decimal string. */
export const ADMIN = String(1n << 3n);
/** Send Messages + Read Message History: a plain member. */
export const MEMBER = String((1n << 11n) | (1n << 16n));

const fakes: FakeDiscord[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const fake of fakes.splice(0)) await fake.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export async function fakeDiscord(): Promise<FakeDiscord> {
  const fake = await startFakeDiscord({
    token: TOKEN,
    heartbeatIntervalMs: 500,
    guilds: [{ id: GUILD, name: 'StreamSuites HQ', channels: [{ id: ANNOUNCE, name: 'live' }, { id: COMMANDS_CHANNEL, name: 'bot' }] }],
  });
  fakes.push(fake);
  return fake;
}

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ss-discord-'));
  dirs.push(dir);
  return dir;
}

/**
 * Stands in for plugin-clips (its action and its clip.state events): the
 * Discord plugin under test only dispatches `clip.create` and follows the bus.
 */
export const fakeClipsPlugin = definePlugin({
  id: 'clips',
  version: '1.0.0',
  kernel: '^0.2.0',
  register(reg) {
    reg.extend(actionTypesExtensionPoint, {
      type: 'clip.create',
      effects: 'external',
      description: 'test stand-in of plugin-clips',
      paramsSchema: Type.Object({ seconds: Type.Integer(), title: Type.Optional(Type.String()), requestedBy: Type.Optional(Type.String()) }),
    });
    reg.onInit({
      deps: { actions: actionDispatcherRef, bus: busRef },
      init({ deps }) {
        let next = 0;
        deps.actions.registerHandler({
          type: 'clip.create',
          handle(_params, ctx) {
            const clipId = `clip-${++next}`;
            const on = (state: string, extra: Record<string, unknown> = {}) =>
              (deps.bus.emit as (name: string, event: unknown) => void)('clip.state', { clipId, creatorId: ctx.creatorId, platform: 'twitch', state, previous: null, reason: state, at: Date.now(), ...extra });
            on('queued');
            // Published a little later, as the real plugin does after cutting and uploading.
            setTimeout(() => on('published', { url: `https://clips.example/${clipId}.mp4` }), 50);
            return clipId;
          },
        });
      },
    });
  },
});

export interface RuntimeOptions {
  fake: FakeDiscord;
  plugins?: readonly AnyPlugin[];
  creators?: Record<string, unknown>;
  plugin?: Record<string, unknown>;
  dataDir?: string;
  /** `plugins.<id>` entries of other plugins. */
  extraPlugins?: Record<string, unknown>;
}

/** A kernel with the Discord plugin (and `plugins`) against the fake; creators daniel and maya enable it. */
export async function startRuntime(options: RuntimeOptions) {
  const dataDir = options.dataDir ?? tempDir();
  return startTestKernel({
    plugins: [discordPlugin, ...(options.plugins ?? [])],
    env: { DISCORD_BOT_TOKEN: TOKEN },
    manifest: {
      dataDir,
      plugins: {
        discord: {
          config: {
            token: '${env:DISCORD_BOT_TOKEN}',
            restUrl: options.fake.restUrl,
            heartbeatIntervalMs: 1000,
            restart: { initialMs: 100, maxMs: 1000 },
            guilds: [{ id: GUILD, announceChannelId: ANNOUNCE, adminRoleIds: [ADMIN_ROLE] }],
            ...options.plugin,
          },
        },
        ...options.extraPlugins,
      },
      creators: options.creators ?? { daniel: { enable: ['discord'] }, maya: { enable: ['discord'], config: { discord: { displayName: 'Maya' } } } },
    },
  });
}

/** A slash command from a member of the test guild. */
export function slash(name: string, options: FakeInteractionInput['options'] = [], permissions = ADMIN, roles: string[] = []): FakeInteractionInput {
  return { guildId: GUILD, channelId: COMMANDS_CHANNEL, name, options, member: { userId: '185949590652300001', username: 'operator', permissions, roles } };
}

/** A string option. */
export const str = (name: string, value: string) => ({ name, type: 3, value });
export const int = (name: string, value: number) => ({ name, type: 4, value });
