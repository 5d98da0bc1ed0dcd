import {
  actionDispatcherRef,
  busRef,
  clockRef,
  definePlugin,
  defineRuntimeHooks,
  pointer,
  runtimeHooksExtensionPoint,
  secretsRef,
  SS_ERR_PLATFORM_UNSUPPORTED,
  type ManifestIssue,
} from '@streamsuites/kernel';
import pkg from '../package.json' with { type: 'json' };
import { configSchema, creatorConfigSchema } from './config.js';
import { SS_ERR_PILLED_CONFIG, SS_ERR_PILLED_SEND_UNAVAILABLE, SS_ERR_PILLED_TRANSPORT_AMBIGUOUS } from './errors.js';
import { PilledSession } from './session.js';
import { pilledTransportsExtensionPoint, type PilledTransport } from './transport.js';

/** The day the search for a public Pilled API last came back empty (README "Status"). */
export const PILLED_RESEARCH_DATE = '2026-12-05';

/** Why a creator's Pilled plugin cannot run without a transport; the `reason` of its platform.connection after `unsupported: `. */
export const PILLED_UNSUPPORTED_REASON =
  `pilled.net publishes no public, documented API for chat or live status (checked ${PILLED_RESEARCH_DATE}) and no transport was supplied, ` +
  'so no chat is read and no live stream is detected. A transport implementing PilledTransport (see the @streamsuites/plugin-pilled README) would be needed';

export interface CreatePilledPluginOptions {
  /** A transport to read (and maybe send) Pilled chat with; the same as contributing it to pilledTransportsExtensionPoint. */
  transport?: PilledTransport;
}

/**
 * Pilled for every creator that enables it. Without a transport (the default:
 * Pilled has no documented API) each creator's start fails honestly with
 * SS_ERR_PLATFORM_UNSUPPORTED after a `platform.connection` `stopped`; with
 * one, its items become chat.message / stream.online / stream.offline and
 * chat.reply goes to its send().
 */
export function createPilledPlugin(options: CreatePilledPluginOptions = {}) {
  return definePlugin({
    id: 'pilled',
    version: pkg.version,
    kernel: '^0.2.0',
    description: 'Pilled chat and live status through a host-supplied transport; reports SS_ERR_PLATFORM_UNSUPPORTED without one',
    configSchema,
    creatorConfigSchema,
    replay: 'skip', // a replay feeds logged chat; it must not open a transport
    register(reg) {
      const sessions = new Map<string, PilledSession>();
      let transport: PilledTransport | undefined;

      // The schema refuses a pasted address by pattern; this says which channel was meant.
      reg.extend(
        runtimeHooksExtensionPoint,
        defineRuntimeHooks({
          checkCreator(_deps, creator, path): ManifestIssue[] {
            if (!creator.enable.includes('pilled')) return [];
            const channel = (creator.config.pilled as { channel?: unknown } | undefined)?.channel;
            const meant = typeof channel === 'string' ? channelOfAddress(channel) : undefined;
            if (meant === undefined) return [];
            const error = new SS_ERR_PILLED_CONFIG(creator.id, `channel is an address, not a channel name: use ${JSON.stringify(meant)}`);
            return [{ code: error.code, path: pointer([...path, 'config', 'pilled', 'channel']), message: error.message, hint: error.hint ?? '' }];
          },
        }),
      );

      reg.onInit({
        deps: { bus: busRef, clock: clockRef, secrets: secretsRef, actions: actionDispatcherRef },
        init({ deps, extensions, logger }) {
          const supplied = [...(options.transport === undefined ? [] : [options.transport]), ...extensions(pilledTransportsExtensionPoint).map((c) => c.value)];
          if (supplied.length > 1) throw new SS_ERR_PILLED_TRANSPORT_AMBIGUOUS(supplied.map((t) => JSON.stringify(t.name)).join(', '));
          transport = supplied[0];
          if (transport === undefined) return; // each creator's start says why, with its id
          logger.info({ transport: transport.name }, 'Pilled reads through a host-supplied transport');
          deps.actions.registerHandler<{ text: string }>({
            type: 'chat.reply',
            platform: 'pilled',
            async handle(params, ctx) {
              const send = sessions.get(ctx.creatorId)?.send;
              if (send === undefined) throw new SS_ERR_PILLED_SEND_UNAVAILABLE(ctx.creatorId, `transport "${transport!.name}" is read-only or not connected`);
              await send(params.text);
            },
          });
        },
        async start({ creator, creatorConfig, deps, logger }) {
          if (transport === undefined) {
            // Said on the bus first, so a dashboard shows the creator's Pilled as not reading and why; then the start fails.
            deps.bus.emit('platform.connection', {
              creatorId: creator.id,
              platform: 'pilled',
              state: 'stopped',
              attempt: 0,
              reason: `unsupported: ${PILLED_UNSUPPORTED_REASON}`,
              at: deps.clock.now(),
            });
            throw new SS_ERR_PLATFORM_UNSUPPORTED('Pilled', creator.id, PILLED_UNSUPPORTED_REASON, { details: { platform: 'pilled', channel: creatorConfig.channel } });
          }
          const session = new PilledSession({
            creatorId: creator.id,
            channel: creatorConfig.channel,
            ...(creatorConfig.botUsername === undefined ? {} : { botUsername: creatorConfig.botUsername }),
            transport,
            bus: deps.bus,
            clock: deps.clock,
            logger,
            secrets: deps.secrets,
          });
          // Known before the first item arrives, so a reply to it finds the connection's send().
          sessions.set(creator.id, session);
          try {
            await session.start();
          } catch (error) {
            sessions.delete(creator.id);
            throw error;
          }
          return async () => {
            sessions.delete(creator.id);
            await session.stop();
          };
        },
      });
    },
  });
}

/** The channel in a pasted `https://pilled.net/<channel>` (or `/livechat/<channel>`) address, if `value` is one. */
export function channelOfAddress(value: string): string | undefined {
  const match = /^(?:https?:\/\/)?(?:www\.)?pilled\.net\/(?:livechat\/)?([A-Za-z0-9_][A-Za-z0-9_.-]{0,63})\/?(?:[?#].*)?$/i.exec(value.trim());
  return match?.[1];
}

/** The plugin as a manifest loads it: no transport of its own, so SS_ERR_PLATFORM_UNSUPPORTED unless a host plugin contributes one. */
export const pilledPlugin = createPilledPlugin();
