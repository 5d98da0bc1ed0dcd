import {
  actionDispatcherRef,
  busRef,
  clockRef,
  definePlugin,
  defineRuntimeHooks,
  pointer,
  rateLimitGovernorRef,
  runtimeHooksExtensionPoint,
  secretsRef,
  stateStoreRef,
  streamSourcesExtensionPoint,
  type ManifestIssue,
} from '@streamsuites/kernel';
import pkg from '../package.json' with { type: 'json' };
import { LiveStreamApi } from './api/client.js';
import { keyedUrlProblem, parseKeyedUrl } from './api/key-url.js';
import { startBrowserMode, type BrowserMode } from './browser-mode.js';
import { configSchema, creatorConfigSchema, type RumbleConfig, type RumbleCreatorConfig } from './config.js';
import { CrossSourceDedupe } from './dedupe/cross-source.js';
import { OwnEchoes } from './dedupe/own-echoes.js';
import { SS_ERR_RUMBLE_CONFIG, SS_ERR_RUMBLE_SEND_UNAVAILABLE } from './errors.js';
import { RumblePoller } from './poller.js';
import { resolveEmbedHls } from './stream-source.js';
import type { RumbleChatEntry } from './types.js';

/** The governor key of a creator's Live Stream API requests. */
export const rumbleApiLimitKey = (creatorId: string): string => `rumble:api:${creatorId}`;
/** The governor key of a creator's replies typed in browser mode. */
export const rumbleSendLimitKey = (creatorId: string): string => `rumble:send:${creatorId}`;

interface CreatorRumble {
  poller?: RumblePoller;
  browser?: BrowserMode;
  echoes: OwnEchoes;
}

/** Problems of a creator's Rumble config that its schema cannot say; never echoes the keyed URL. */
export function rumbleConfigProblems(config: Partial<RumbleCreatorConfig> | undefined): { field: string; problem: string }[] {
  const mode = config?.mode ?? 'api';
  const problems: { field: string; problem: string }[] = [];
  if (mode !== 'browser' || config?.apiUrl !== undefined) {
    const problem = keyedUrlProblem(config?.apiUrl);
    if (problem !== undefined) problems.push({ field: 'apiUrl', problem });
  }
  if (mode !== 'api' && config?.browser === undefined) problems.push({ field: 'browser', problem: `mode "${mode}" needs browser.chatUrl (the live chat page)` });
  return problems;
}

/**
 * Rumble for every creator that enables it: the keyed Live Stream API polled
 * for live status, chat, rants, followers and subscribers (exactly once);
 * optionally the live chat page in Chromium for reading and replying; and
 * the live stream's HLS as a clip source.
 */
export const rumblePlugin = definePlugin({
  id: 'rumble',
  version: pkg.version,
  kernel: '^0.2.0',
  description: 'Rumble live status, chat and rants from the Live Stream API; browser-mode chat and replies; the stream for clips',
  configSchema,
  creatorConfigSchema,
  replay: 'skip', // a replay feeds logged chat; it must not call Rumble
  register(reg) {
    const creators = new Map<string, CreatorRumble>();
    let pluginConfig: RumbleConfig | undefined;
    let dataDir = '.';

    // `streamsuites validate` reports a bad keyed URL with the other manifest problems, without printing it.
    reg.extend(
      runtimeHooksExtensionPoint,
      defineRuntimeHooks({
        checkCreator(_deps, creator, path): ManifestIssue[] {
          if (!creator.enable.includes('rumble')) return [];
          return rumbleConfigProblems(creator.config.rumble as Partial<RumbleCreatorConfig> | undefined).map(({ field, problem }) => ({
            code: SS_ERR_RUMBLE_CONFIG.code,
            path: pointer([...path, 'config', 'rumble', field]),
            message: new SS_ERR_RUMBLE_CONFIG(creator.id, problem).message,
            hint: new SS_ERR_RUMBLE_CONFIG(creator.id, problem).hint ?? '',
          }));
        },
      }),
    );

    reg.extend(streamSourcesExtensionPoint, {
      platform: 'rumble',
      resolve(creatorId, { signal }) {
        const config = pluginConfig!;
        return resolveEmbedHls({
          creatorId,
          livestreamId: creators.get(creatorId)?.poller?.live?.streamId,
          embedUrl: config.embedUrl ?? new URL('/embedJS/u3/', config.apiOrigin).toString(),
          signal,
        });
      },
    });

    reg.onInit({
      deps: {
        bus: busRef,
        clock: clockRef,
        store: stateStoreRef,
        limits: rateLimitGovernorRef,
        actions: actionDispatcherRef,
        secrets: secretsRef,
      },
      init({ config, deps, dataDir: dir }) {
        pluginConfig = config;
        dataDir = dir;
        deps.actions.registerHandler<{ text: string }>({
          type: 'chat.reply',
          platform: 'rumble',
          timeoutMs: 120_000,
          async handle(params, ctx) {
            const entry = creators.get(ctx.creatorId);
            const browser = entry?.browser;
            if (browser === undefined) throw new SS_ERR_RUMBLE_SEND_UNAVAILABLE(ctx.creatorId, 'browser mode is off (the Live Stream API cannot send)');
            await deps.limits.acquire(rumbleSendLimitKey(ctx.creatorId), { signal: ctx.signal });
            // Noted before typing: the page may show the row before send() returns.
            entry!.echoes.sent(params.text, deps.clock.now());
            await browser.send(params.text);
          },
        });
      },
      start({ creator, config, creatorConfig, deps, logger }) {
        const problems = rumbleConfigProblems(creatorConfig);
        if (problems.length > 0) throw new SS_ERR_RUMBLE_CONFIG(creator.id, problems.map((p) => p.problem).join('; '));
        const entry: CreatorRumble = { echoes: new OwnEchoes(creatorConfig.botUsername === undefined ? {} : { botUsername: creatorConfig.botUsername }) };
        const cross = creatorConfig.mode === 'both' ? new CrossSourceDedupe() : undefined;
        // The bot's own replies coming back, then (with both sources on) what the other source already emitted.
        const admit = (e: RumbleChatEntry): boolean => {
          const now = deps.clock.now();
          return !entry.echoes.isEcho(e, now) && (cross === undefined || cross.admit(e, now));
        };
        if (creatorConfig.mode !== 'browser') {
          const keyed = parseKeyedUrl(creatorConfig.apiUrl!);
          deps.secrets.add(keyed.url);
          deps.secrets.add(keyed.key);
          const limitKey = rumbleApiLimitKey(creator.id);
          deps.limits.configure(limitKey, { capacity: config.requestsPerMinute, windowMs: 60_000 });
          entry.poller = new RumblePoller({
            creatorId: creator.id,
            api: new LiveStreamApi({
              creatorId: creator.id,
              keyed,
              apiOrigin: config.apiOrigin,
              redact: (text) => deps.secrets.redactString(text),
              userAgent: `StreamSuites/${pkg.version}`,
            }),
            bus: deps.bus,
            clock: deps.clock,
            logger,
            store: deps.store,
            secrets: deps.secrets,
            limits: deps.limits,
            limitKey,
            intervalMs: (creatorConfig.pollIntervalSec ?? config.pollIntervalSec) * 1000,
            backoff: config.backoff,
            seenWindow: config.seenWindow,
            notices: creatorConfig.notices,
            ...(creatorConfig.channel === undefined ? {} : { channel: creatorConfig.channel }),
            admit,
          });
        }
        if (creatorConfig.browser !== undefined && creatorConfig.mode !== 'api') {
          deps.limits.configure(rumbleSendLimitKey(creator.id), { capacity: config.browser.sendsPerMinute, windowMs: 60_000 });
          entry.browser = startBrowserMode({
            creatorId: creator.id,
            config: config.browser,
            creatorBrowser: creatorConfig.browser,
            dataDir,
            channel: () => entry.poller?.channel ?? creatorConfig.channel ?? creator.id,
            bus: deps.bus,
            clock: deps.clock,
            logger,
            admit,
          });
        }
        creators.set(creator.id, entry);
        entry.poller?.start();
        return async () => {
          creators.delete(creator.id);
          await Promise.all([entry.poller?.stop(), entry.browser?.stop()]);
        };
      },
    });
  },
});
