import {
  actionDispatcherRef,
  busRef,
  clockRef,
  definePlugin,
  quotaRegistryRef,
  rateLimitGovernorRef,
  secretsRef,
  stateStoreRef,
  quotaDefaultsExtensionPoint,
  streamSourcesExtensionPoint,
} from '@streamsuites/kernel';
import pkg from '../package.json' with { type: 'json' };
import { YouTubeApi } from './api/client.js';
import { BudgetGovernor } from './budget/governor.js';
import { configSchema, creatorConfigSchema, type YouTubeCreatorConfig } from './config.js';
import { LiveDiscovery } from './discovery.js';
import { SS_ERR_YOUTUBE_CONFIG, SS_ERR_YOUTUBE_NOT_LIVE, SS_ERR_YOUTUBE_SEND_NEEDS_OAUTH } from './errors.js';
import { normalizeItem } from './normalize/index.js';
import { YOUTUBE_QUOTA_DEFAULT } from './limits.js';
import { splitReply } from './split.js';
import { ChatSession } from './session.js';
import { registerModerationHandlers } from './moderation/handlers.js';
import { YouTubeStreamSource } from './stream-source.js';

/** YouTube accepts 200 characters per chat message; replies are sent at most this often. */
export const YOUTUBE_SEND_POLICY = Object.freeze({ capacity: 10, windowMs: 30_000 });

interface CreatorChat {
  api: YouTubeApi;
  session: ChatSession;
}

/**
 * YouTube live chat for every creator that enables it: cheap live
 * discovery, chat read by server streaming or budget-governed polling so the
 * daily quota lasts the stream, every event type normalized onto the bus,
 * and `chat.reply` through liveChatMessages.insert.
 */
export const youtubePlugin = definePlugin({
  id: 'youtube',
  version: pkg.version,
  kernel: '^0.2.0',
  description: 'YouTube live chat on the daily quota: discovery, polling/streaming, normalization, replies',
  configSchema,
  creatorConfigSchema,
  replay: 'skip', // replays feed logged chat; they must not call YouTube
  register(reg) {
    // The Data API's daily quota is YouTube knowledge: the kernel's quota registry learns it from here.
    reg.extend(quotaDefaultsExtensionPoint, { platform: 'youtube', policy: YOUTUBE_QUOTA_DEFAULT });
    const chats = new Map<string, CreatorChat>();
    const streams = new YouTubeStreamSource();
    reg.extend(streamSourcesExtensionPoint, streams.source);
    reg.onInit({
      deps: {
        bus: busRef,
        clock: clockRef,
        store: stateStoreRef,
        quotas: quotaRegistryRef,
        limits: rateLimitGovernorRef,
        actions: actionDispatcherRef,
        secrets: secretsRef,
      },
      init({ deps, config }) {
        streams.configure(config.streamlink, deps.bus, deps.secrets);
        deps.actions.registerHandler<{ text: string }>({
          type: 'chat.reply',
          platform: 'youtube',
          timeoutMs: 120_000,
          async handle(params, ctx) {
            const chat = chats.get(ctx.creatorId);
            if (chat === undefined || chat.session.liveChatId === undefined) throw new SS_ERR_YOUTUBE_NOT_LIVE(ctx.creatorId);
            if (!chat.api.hasOAuth) throw new SS_ERR_YOUTUBE_SEND_NEEDS_OAUTH(ctx.creatorId);
            const key = `youtube:send:${ctx.creatorId}`;
            for (const part of splitReply(params.text)) {
              await deps.limits.acquire(key, { signal: ctx.signal });
              await chat.api.insert(chat.session.liveChatId, part);
            }
          },
        });
        registerModerationHandlers(deps.actions, (creatorId) => {
          const chat = chats.get(creatorId);
          return chat === undefined ? undefined : { api: chat.api, liveChatId: chat.session.liveChatId };
        });
      },
      start({ creator, config, creatorConfig, deps, logger }) {
        checkCreatorConfig(creator.id, creatorConfig);
        const { clientId, clientSecret, refreshToken } = creatorConfig;
        const tracker = deps.quotas.tracker(creator.id, 'youtube');
        const api = new YouTubeApi({
          apiUrl: config.apiUrl,
          tracker,
          ...(creatorConfig.apiKey === undefined ? {} : { apiKey: creatorConfig.apiKey }),
          ...(clientId !== undefined && clientSecret !== undefined && refreshToken !== undefined
            ? { oauth: { clientId, clientSecret, refreshToken, tokenUrl: config.tokenUrl } }
            : {}),
        });
        const discovery = new LiveDiscovery({
          api,
          logger,
          feedUrl: config.feedUrl,
          useSearch: creatorConfig.discovery.useSearch,
          ...(creatorConfig.channelId === undefined ? {} : { channelId: creatorConfig.channelId }),
          ...(creatorConfig.videoId === undefined ? {} : { videoId: creatorConfig.videoId }),
          ...(creatorConfig.liveChatId === undefined ? {} : { liveChatId: creatorConfig.liveChatId }),
        });
        const budget = creatorConfig.budget;
        const session = new ChatSession({
          creatorId: creator.id,
          channel: creatorConfig.channelId ?? creatorConfig.videoId ?? creator.id,
          api,
          discovery,
          tracker,
          store: deps.store,
          bus: deps.bus,
          clock: deps.clock,
          logger,
          governor: new BudgetGovernor({
            expectedStreamHours: budget.expectedStreamHours,
            pollCost: 5,
            reserveUnits: budget.reserveUnits,
            minIntervalMs: budget.minIntervalMs,
            maxIntervalMs: budget.maxIntervalMs,
          }),
          normalize: normalizeItem,
          secrets: deps.secrets,
          transport: creatorConfig.transport,
          discoveryIntervalMs: creatorConfig.discovery.intervalSec * 1000,
        });
        deps.limits.configure(`youtube:send:${creator.id}`, YOUTUBE_SEND_POLICY);
        chats.set(creator.id, { api, session });
        const unserveStream = streams.serve(creator.id, creatorConfig);
        // A hot standby (another process reads this chat) spends no quota: it starts reading when promoted,
        // from the position the active process saved in the (shared) state store.
        let offPromoted: (() => void) | undefined;
        if (creator.standby) {
          offPromoted = deps.bus.on('kernel.creator.promoted', (event) => {
            if (event.creatorId !== creator.id) return;
            offPromoted?.();
            session.start();
          });
        } else session.start();
        return async () => {
          offPromoted?.();
          chats.delete(creator.id);
          await session.stop();
          unserveStream();
        };
      },
    });
  },
});

function checkCreatorConfig(creatorId: string, c: YouTubeCreatorConfig): void {
  const oauth = [c.clientId, c.clientSecret, c.refreshToken].filter((v) => v !== undefined).length;
  if (oauth !== 0 && oauth !== 3) throw new SS_ERR_YOUTUBE_CONFIG(creatorId, 'OAuth needs all of clientId, clientSecret and refreshToken');
  if (c.apiKey === undefined && oauth === 0) throw new SS_ERR_YOUTUBE_CONFIG(creatorId, 'no credentials: set apiKey (read-only) or OAuth (clientId, clientSecret, refreshToken)');
  if (c.channelId === undefined && c.videoId === undefined && c.liveChatId === undefined) {
    throw new SS_ERR_YOUTUBE_CONFIG(creatorId, 'nothing to watch: set channelId, videoId or liveChatId');
  }
}
