import {
  actionDispatcherRef,
  busRef,
  clockRef,
  definePlugin,
  exportsExtensionPoint,
  jobRegistryRef,
  kernelRef,
  postingRuleFor,
  quotaRegistryRef,
  secretsRef,
  stateStoreRef,
  triggerRegistryRef,
  type StreamStatus,
} from '@streamsuites/kernel';
import { resolve } from 'node:path';
import pkg from '../package.json' with { type: 'json' };
import { Announcer } from './announcer.js';
import type { CommandRuntime } from './commands/run.js';
import { configSchema, creatorConfigSchema, type DiscordConfig, type DiscordCreatorConfig } from './config.js';
import { DiscordControlPlane } from './control-plane.js';
import { discordSections } from './exports.js';
import { handleInteraction } from './interactions.js';
import { PublishedState } from './published-state.js';
import { DiscordStatus } from './status.js';
import { type ClipView, RuntimeWatch } from './watch.js';

/** Events of other plugins, read by name (no import of their code). */
type AnyListener = (name: string, listener: (event: any) => void) => () => void;

/**
 * The Discord control plane: slash commands (status, clips, polls, dry-run
 * ...) checked against a guild allow-list and the member's permissions,
 * go-live and clip announcements, and its own state in
 * `shared/state/discord/`. It never reads chat, and it runs apart from the
 * streaming runtime: its start returns at once, its failures restart the
 * Discord client only, and a rejected token stops it alone.
 */
export const discordPlugin = definePlugin({
  id: 'discord',
  version: pkg.version,
  kernel: '^0.2.0',
  description: 'Discord control plane: commands, permissions, announcements, heartbeat, runtime.json',
  replay: 'skip', // a replay must not talk to Discord
  configSchema,
  creatorConfigSchema,
  register(reg) {
    let plane: { status: DiscordStatus; guilds: DiscordConfig['guilds'] } | undefined;
    for (const section of discordSections(() => plane)) reg.extend(exportsExtensionPoint, section);
    /** Creators that enable the plugin: announced, with their display settings. */
    const announced = new Map<string, DiscordCreatorConfig>();
    const cleanup: (() => unknown)[] = [];
    let control: DiscordControlPlane | undefined;
    let announcer: Announcer | undefined;

    reg.onInit({
      deps: {
        bus: busRef,
        clock: clockRef,
        kernel: kernelRef,
        actions: actionDispatcherRef,
        quotas: quotaRegistryRef,
        jobs: jobRegistryRef,
        store: stateStoreRef,
        secrets: secretsRef,
      },
      init({ config, deps, logger, dataDir }) {
        deps.secrets.add(config.token);
        const now = () => deps.clock.now();
        const status = new DiscordStatus(deps.bus, deps.secrets, now, config.guilds);
        const watch = new RuntimeWatch(deps.bus, now);
        const on = deps.bus.on.bind(deps.bus) as unknown as AnyListener;
        const standalone = config.mode === 'standalone';
        const integrated: CommandRuntime = {
          creators: () => deps.kernel.status().creators.map((c) => ({ id: c.id, plugins: Object.keys(c.plugins) })),
          watch,
          actions: deps.actions,
          quotas: () => deps.quotas.snapshot(),
          jobs: () => deps.jobs.list(),
          triggers: (creatorId) => deps.kernel.resolveFor(creatorId, triggerRegistryRef).list(),
          reload: () => deps.kernel.reload(),
          clipSettled: (clipId, signal) => settled(clipId, signal),
        };
        /** The clip once published or failed: from what the watch saw already, or the next clip.state. */
        const settled = (clipId: string, signal: AbortSignal) =>
          new Promise<ClipView>((resolve, reject) => {
            const done = (view: ClipView) => (off(), signal.removeEventListener('abort', aborted), resolve(view));
            const aborted = () => (off(), reject(signal.reason));
            const off = on('clip.state', (e) => {
              if (e.clipId === clipId && (e.state === 'published' || e.state === 'failed')) done({ clipId, creatorId: e.creatorId, state: e.state, at: e.at, ...(e.url === undefined ? {} : { url: e.url }) });
            });
            signal.addEventListener('abort', aborted, { once: true });
            const seen = watch.clips().find((c) => c.clipId === clipId && (c.state === 'published' || c.state === 'failed'));
            if (seen !== undefined) done(seen);
          });
        const runtime = standalone ? new PublishedState(resolve(dataDir, config.stateRoot), now).commandRuntime() : integrated;
        if (standalone) logger.info({ stateRoot: resolve(dataDir, config.stateRoot) }, 'Discord control plane standalone: reading the published state');
        control = new DiscordControlPlane({
          token: config.token,
          restUrl: config.restUrl,
          guilds: config.guilds,
          restart: config.restart,
          heartbeatIntervalMs: config.heartbeatIntervalMs,
          status,
          logger,
          onInteraction: (interaction) =>
            void handleInteraction(interaction, { guilds: config.guilds, runtime, logger, secrets: deps.secrets, now, recorded: (record) => status.command(record) }),
        });
        const channels = config.guilds.flatMap((g) => (g.announceChannelId === undefined ? [] : [g.announceChannelId]));
        announcer = new Announcer({
          rest: control.rest(),
          channels,
          store: deps.store,
          templates: config.announcements,
          secrets: deps.secrets,
          logger,
          now,
          nameOf: (creatorId) => {
            const settings = announced.get(creatorId);
            return settings === undefined || !settings.announce ? undefined : (settings.displayName ?? creatorId);
          },
          // postingRules (the creator's, else the top-level ones), read at each event: a reload applies to the next post.
          rule: (creatorId, event) => postingRuleFor(deps.kernel.creator(creatorId), deps.kernel.manifest, event, 'discord'),
          posted: (record) => status.announced(record),
        });
        const a = announcer;
        cleanup.push(() => watch.dispose());
        // Standalone, there is no runtime on this bus to announce.
        if (!standalone) {
          // A hot standby's copy of a go-live is not ours to announce: the active process does.
          const active = (e: StreamStatus) => !deps.kernel.isStandby(e.creatorId);
          cleanup.push(
            deps.bus.on('stream.online', (e: StreamStatus) => void (active(e) && a.online(e))),
            deps.bus.on('stream.offline', (e: StreamStatus) => void (active(e) && a.offline(e))),
            on('clip.state', (e) => void (e.state === 'published' && a.clip({ creatorId: e.creatorId, clipId: e.clipId, url: e.url }))),
          );
        }
        plane = { status, guilds: config.guilds };
        control.start();
      },
      start({ creator, creatorConfig }) {
        announced.set(creator.id, creatorConfig);
        return () => void announced.delete(creator.id);
      },
      async stop() {
        for (const off of cleanup.splice(0)) off();
        await announcer?.idle();
        await control?.stop();
      },
    });
  },
});
