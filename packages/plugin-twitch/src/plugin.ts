import {
  actionDispatcherRef,
  actionTypesExtensionPoint,
  busRef,
  clockRef,
  definePlugin,
  rateLimitGovernorRef,
  secretsRef,
  stateStoreRef,
  streamSourcesExtensionPoint,
  Type,
  type Logger,
} from '@streamsuites/kernel';
import { SS_ERR_TWITCH_CONFIG, SS_ERR_TWITCH_NOT_CONNECTED, SS_ERR_TWITCH_SCOPE_MISSING } from './errors.js';
import { createCreatorEventSub, type CreatorEventSub } from './eventsub/creator.js';
import { chooseChatTransport } from './eventsub/transport-choice.js';
import { featuresFor, HelixChatSender, HelixRedemptions, missingScopes, readUserTokens, validateToken, type RedemptionStatus } from './helix/index.js';
import { CHAT_SUBSCRIPTIONS } from './eventsub/subscriptions.js';
import { RoomStates } from './normalize/rooms.js';
import pkg from '../package.json' with { type: 'json' };
import { configSchema, creatorConfigSchema } from './config.js';
import { TwitchChat } from './chat.js';
import { GoLivePoller, HelixClient, refreshUserToken } from './helix.js';
import { MessageIdLru, normalizeLine } from './normalize/index.js';
import { TWITCH_AUTH, TWITCH_JOIN } from './limits.js';
import { ReplySender } from './sender.js';
import { TwitchStreamSource } from './stream-source.js';
import { TokenBook } from './tokens.js';
import { createWebSocketTransport } from './transport.js';
import { HelixModeration, lookupIds } from './moderation/helix-moderation.js';
import { registerModerationHandlers } from './moderation/handlers.js';
import './events.js';

interface CreatorChat {
  channel: string;
  sender: ReplySender;
  eventsub?: CreatorEventSub;
  redemptions?: HelixRedemptions;
  moderation?: HelixModeration;
}

const RedemptionParams = Type.Object(
  {
    /** The redemption (a `twitch.redemption` event's `redemptionId`: `"{event.redemptionId}"`). */
    redemptionId: Type.String({ minLength: 1 }),
    /** Its reward (`"{event.reward.id}"`). */
    rewardId: Type.String({ minLength: 1 }),
  },
  { additionalProperties: false },
);

/** The channel points actions: mark a redemption fulfilled (points spent) or canceled (points refunded). */
const REDEMPTION_ACTIONS: readonly [type: string, status: RedemptionStatus, description: string][] = [
  ['twitch.redemption.fulfill', 'FULFILLED', 'Mark a channel points redemption fulfilled (Update Redemption Status; the reward must be this app\'s).'],
  ['twitch.redemption.cancel', 'CANCELED', 'Cancel a channel points redemption, refunding the points (the reward must be this app\'s).'],
];

/**
 * Twitch chat for every creator that enables it: `redundancy` connections per
 * creator (the creator's bot account, two by default), normalized events on
 * the bus exactly once, gaps reported as `chat.gap`,
 * `chat.reply` under Twitch's rate limits, optional go-live polling.
 */
export const twitchPlugin = definePlugin({
  id: 'twitch',
  version: pkg.version,
  kernel: '^0.2.0',
  description: 'Twitch chat: exactly-once messages, replies under rate limits, go-live',
  replay: 'skip', // a replay feeds logged chat; it must not connect to Twitch
  configSchema,
  creatorConfigSchema,
  register(reg) {
    const chats = new Map<string, CreatorChat>();
    const streams = new TwitchStreamSource();
    reg.extend(streamSourcesExtensionPoint, streams.source);
    for (const [type, , description] of REDEMPTION_ACTIONS) reg.extend(actionTypesExtensionPoint, { type, paramsSchema: RedemptionParams, description });
    reg.onInit({
      deps: { bus: busRef, clock: clockRef, governor: rateLimitGovernorRef, actions: actionDispatcherRef, store: stateStoreRef, secrets: secretsRef },
      init({ deps, config }) {
        streams.configure(config.streamlink, deps.secrets);
        deps.actions.registerHandler<{ text: string }>({
          type: 'chat.reply',
          platform: 'twitch',
          timeoutMs: 120_000, // a reply may wait up to a full rate-limit window
          async handle(params, ctx) {
            const chat = chats.get(ctx.creatorId);
            if (chat === undefined) {
              throw new SS_ERR_TWITCH_NOT_CONNECTED(ctx.creatorId);
            }
            await chat.sender.reply(chat.channel, params.text, ctx.signal);
          },
        });
        registerModerationHandlers(deps.actions, (creatorId) => chats.get(creatorId)?.moderation);
        for (const [type, status] of REDEMPTION_ACTIONS) {
          deps.actions.registerHandler<{ redemptionId: string; rewardId: string }>({
            type,
            timeoutMs: 30_000,
            async handle(params, ctx) {
              const chat = chats.get(ctx.creatorId);
              if (chat?.eventsub === undefined || chat.redemptions === undefined) {
                throw new SS_ERR_TWITCH_CONFIG(ctx.creatorId, `${type} needs EventSub (clientId and the channel's token with channel:manage:redemptions)`);
              }
              const { broadcasterId } = await chat.eventsub.client.ids();
              await chat.redemptions.updateRedemption({ broadcasterId, rewardId: params.rewardId, redemptionId: params.redemptionId, status }, ctx.signal);
            },
          });
        }
      },
      async start({ creator, creatorConfig, config, deps, logger }) {
        const channel = creatorConfig.channel.toLowerCase();
        const { clientId, clientSecret, refreshToken } = creatorConfig;
        const canRefresh = clientId !== undefined && clientSecret !== undefined && refreshToken !== undefined;
        const bot = creatorConfig.botLogin.toLowerCase();
        // No token in the manifest: the one `streamsuites auth twitch` stored for the bot account.
        const configuredToken = creatorConfig.token ?? (await readUserTokens(deps.store, bot))?.accessToken;
        if (configuredToken === undefined) {
          throw new SS_ERR_TWITCH_CONFIG(creator.id, `no token for ${bot}: set creators.${creator.id}.config.twitch.token, or run \`streamsuites auth twitch\` logged in as ${bot}`);
        }
        deps.secrets.add(configuredToken);
        const tokens = new TokenBook({
          creatorId: creator.id,
          token: configuredToken,
          refreshToken: canRefresh ? refreshToken : undefined,
          store: deps.store,
          secrets: deps.secrets,
          logger,
          now: () => deps.clock.now(),
          refresh: (current) => refreshUserToken({ oauthUrl: config.oauthUrl, clientId: clientId!, clientSecret: clientSecret!, refreshToken: current }),
        });
        const token = await tokens.load();
        const redundancy = creatorConfig.redundancy ?? config.redundancy;
        // The token's scopes, asked of Twitch at most once per start.
        let validated: Promise<readonly string[]> | undefined;
        const scopes = () => (validated ??= validateToken(config.oauthUrl, token).then((v) => v.scopes));
        const choice = await chooseChatTransport({
          mode: creatorConfig.transport,
          redundancy,
          ...(clientId === undefined ? {} : { clientId }),
          scopes,
        });
        logger.info({ irc: choice.irc, eventsub: choice.eventsub }, `Twitch chat transport: ${choice.reason}`);
        const wantsEventSub = choice.eventsub || creatorConfig.events.length > 0;
        if (wantsEventSub && clientId === undefined) {
          throw new SS_ERR_TWITCH_CONFIG(creator.id, 'EventSub (transport "eventsub" or "events") needs clientId (the app the token was issued to)');
        }
        if (wantsEventSub) await reportMissingScopes(creator.id, scopes, [...(choice.eventsub ? CHAT_SUBSCRIPTIONS.map((c) => c.type) : []), ...creatorConfig.events], logger);
        // One dedupe and one room-state book for both transports: each chat event once, whichever saw it first.
        const seen = new MessageIdLru(config.dedupeWindow);
        const rooms = new RoomStates();
        // The token as it is now: a refresh (after Twitch refused it on IRC or Helix) reaches EventSub and the API sender too.
        let current = token;
        const bare = () => current.replace(/^oauth:/, '');
        // One refresh at a time, whoever asks (IRC connections, the API sender): a refresh token may be good for one use.
        let refreshing: Promise<string> | undefined;
        const refreshed = tokens.canRefresh
          ? () =>
              (refreshing ??= tokens
                .refresh()
                .then((next) => (current = next))
                .finally(() => {
                  refreshing = undefined;
                }))
          : undefined;
        const helix = { helixUrl: config.helixUrl, clientId: clientId ?? '', token: bare };
        let eventsub: CreatorEventSub | undefined;
        if (wantsEventSub) {
          eventsub = createCreatorEventSub({
            creatorId: creator.id,
            channel,
            botLogin: bot,
            chat: choice.eventsub,
            events: creatorConfig.events,
            url: config.eventsubUrl,
            keepaliveTimeoutSec: config.eventsubKeepaliveSec,
            helix,
            backoff: config.reconnect,
            dedupeWindow: config.dedupeWindow,
            seen,
            rooms,
            soleChatTransport: choice.eventsub && choice.irc === 0,
            bus: deps.bus,
            clock: deps.clock,
            logger,
            secrets: deps.secrets,
          });
        }
        let chat: TwitchChat | undefined;
        // Over IRC when it reads the chat; else through the Send Chat Message API (user:write:chat).
        if (creatorConfig.sendAs === 'app' && (clientId === undefined || clientSecret === undefined)) {
          throw new SS_ERR_TWITCH_CONFIG(creator.id, 'sendAs "app" needs clientId and clientSecret (for the app token)');
        }
        const app = creatorConfig.sendAs === 'app' ? new HelixClient({ helixUrl: config.helixUrl, oauthUrl: config.oauthUrl, clientId: clientId!, clientSecret: clientSecret!, clock: deps.clock }) : undefined;
        const api =
          choice.irc === 0
            ? new HelixChatSender({
                helixUrl: config.helixUrl,
                clientId: clientId!,
                creatorId: creator.id,
                ...(app === undefined
                  ? { tokenKind: 'user' as const, tokens: { token: bare, ...(refreshed === undefined ? {} : { refresh: async () => (await refreshed()).replace(/^oauth:/, '') }) } }
                  : {
                      tokenKind: 'app' as const,
                      tokens: {
                        token: () => app.appToken(),
                        refresh: () => {
                          app.forgetAppToken();
                          return app.appToken();
                        },
                      },
                    }),
              })
            : undefined;
        const sender = new ReplySender({
          botLogin: bot,
          governor: deps.governor,
          limit: config.sendQueueLimit,
          logger,
          clock: deps.clock,
          send: async (_channel, text, signal) => {
            eventsub?.echoes.sent(text, deps.clock.now());
            if (api === undefined) return chat!.say(text, signal);
            const { broadcasterId, userId } = await eventsub!.client.ids();
            await api.send({ broadcasterId, senderId: userId, text }, signal);
          },
        });
        // Twitch counts logins and JOINs per bot account, over every connection and creator it serves.
        deps.governor.configure(`twitch.auth:${bot}`, { ...TWITCH_AUTH, capacity: config.loginsPer10s });
        deps.governor.configure(`twitch.join:${bot}`, { ...TWITCH_JOIN, capacity: config.loginsPer10s });
        if (choice.irc > 0) {
          chat = new TwitchChat({
            creatorId: creator.id,
            channel,
            login: bot,
            token,
            url: config.chatUrl,
            bus: deps.bus,
            clock: deps.clock,
            logger,
            normalize: normalizeLine,
            transport: createWebSocketTransport,
            seen,
            rooms,
            redundancy: choice.irc,
            backoff: config.reconnect,
            pingIntervalMs: config.pingIntervalMs,
            pingTimeoutMs: config.pingTimeoutMs,
            sender,
            secrets: deps.secrets,
            beforeLogin: async (signal) => {
              await deps.governor.acquire(`twitch.auth:${bot}`, { signal });
              await deps.governor.acquire(`twitch.join:${bot}`, { signal });
            },
            ...(refreshed === undefined ? {} : { refreshToken: refreshed }),
          });
        }
        const redemptions =
          eventsub === undefined ? undefined : new HelixRedemptions({ helixUrl: config.helixUrl, clientId: clientId!, tokens: { token: () => token.replace(/^oauth:/, '') }, creatorId: creator.id });
        // chat.delete / chat.timeout as the bot, with its user token (refreshed like the API sender's).
        const userTokens = { token: bare, ...(refreshed === undefined ? {} : { refresh: async () => (await refreshed()).replace(/^oauth:/, '') }) };
        const moderation =
          clientId === undefined
            ? undefined
            : new HelixModeration({
                helixUrl: config.helixUrl,
                clientId,
                creatorId: creator.id,
                tokens: userTokens,
                ids:
                  eventsub === undefined
                    ? lookupIds({ helixUrl: config.helixUrl, clientId, creatorId: creator.id, tokens: userTokens, channel, botLogin: bot })
                    : async () => {
                        const { broadcasterId, userId } = await eventsub.client.ids();
                        return { broadcasterId, moderatorId: userId };
                      },
              });
        chats.set(creator.id, {
          channel,
          sender,
          ...(eventsub === undefined ? {} : { eventsub }),
          ...(redemptions === undefined ? {} : { redemptions }),
          ...(moderation === undefined ? {} : { moderation }),
        });
        let poller: GoLivePoller | undefined;
        if (creatorConfig.goLivePollSec > 0 && creatorConfig.events.includes('stream.online')) {
          logger.info('stream.online comes over EventSub: go-live polling is off');
        } else if (creatorConfig.goLivePollSec > 0) {
          if (clientId === undefined || clientSecret === undefined) {
            logger.warn('goLivePollSec is set but clientId/clientSecret are missing: go-live polling is off');
          } else {
            const client = new HelixClient({ helixUrl: config.helixUrl, oauthUrl: config.oauthUrl, clientId, clientSecret, clock: deps.clock });
            poller = new GoLivePoller({ client, bus: deps.bus, clock: deps.clock, logger, creatorId: creator.id, channel });
            poller.start(creatorConfig.goLivePollSec * 1000);
          }
        }
        // Served before the chat connects: a capture that starts with the creator (clips capture.always) must not wait for chat.
        const unserveStream = streams.serve(creator.id, channel);
        eventsub?.client.start();
        try {
          await chat?.start();
        } catch (error) {
          unserveStream();
          await eventsub?.client.stop();
          throw error;
        }
        return async () => {
          unserveStream();
          poller?.stop();
          chats.delete(creator.id);
          await Promise.all([chat?.stop(), eventsub?.client.stop()]);
        };
      },
    });
  },
});

/**
 * Says, per feature, which scope the token lacks (one warning each, coded
 * SS_ERR_TWITCH_SCOPE_MISSING): the subscriptions of the other features still
 * run. A token Twitch cannot validate is reported once and nothing else.
 */
async function reportMissingScopes(creatorId: string, scopes: () => Promise<readonly string[]>, eventTypes: readonly string[], logger: Logger): Promise<void> {
  let granted: readonly string[];
  try {
    granted = await scopes();
  } catch (error) {
    logger.warn({ code: (error as { code?: string }).code }, `the Twitch token's scopes could not be checked: ${(error as Error).message}`);
    return;
  }
  for (const { feature, scope, anyOf } of missingScopes(granted, featuresFor(eventTypes).features)) {
    const error = new SS_ERR_TWITCH_SCOPE_MISSING(creatorId, feature, anyOf === undefined ? scope : anyOf.join(' or '));
    logger.warn({ code: error.code, feature, scope }, error.message);
  }
}
