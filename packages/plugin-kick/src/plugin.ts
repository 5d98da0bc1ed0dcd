import type { KeyObject } from 'node:crypto';
import {
  actionDispatcherRef,
  busRef,
  clockRef,
  definePlugin,
  rateLimitGovernorRef,
  redactedSample,
  secretsRef,
  stateStoreRef,
  streamSourcesExtensionPoint,
  type EventBus,
  type Logger,
  type SecretRegistry,
} from '@streamsuites/kernel';
import pkg from '../package.json' with { type: 'json' };
import { KickApi } from './api/client.js';
import { appTokenSource, userTokenSource, type TokenSource } from './api/tokens.js';
import { KickTokenStore } from './api/token-store.js';
import type { KickChatMessageSent, KickFollowed, KickLivestreamStatus, KickSubscription, KickSubscriptionGifts, KickUser } from './api/types.js';
import { configSchema, creatorConfigSchema, KICK_EVENTS, type KickCreatorConfig } from './config.js';
import { SS_ERR_KICK_AUTH, SS_ERR_KICK_CONFIG, SS_ERR_KICK_NORMALIZE_FAILED } from './errors.js';
import { followNotice, giftsNotice, subscriptionNotice, toChatMessage, toStreamStatus, type NormalizeContext } from './normalize.js';
import { KickStreamSource } from './stream-source.js';
import { RecentIds } from './recent-ids.js';
import { socketToChatMessage } from './socket/normalize.js';
import { PusherChat } from './socket/pusher-chat.js';
import type { SocketChatMessage } from './socket/types.js';
import { SeenMessageIds } from './webhook/seen.js';
import { WebhookServer, type KickDelivery } from './webhook/server.js';
import { parsePublicKey } from './webhook/verify.js';

/** The governor key of a creator's chat sends. */
export const kickChatLimitKey = (creatorId: string): string => `kick:chat:${creatorId}`;

interface CreatorKick {
  creatorId: string;
  channel: string;
  broadcasterUserId: number;
  config: KickCreatorConfig;
  userTokens?: TokenSource;
  /** Chat message ids already emitted: webhooks and the unofficial socket may both carry one. */
  chatIds: RecentIds;
  logger: Logger;
}

/**
 * Kick for every creator that enables it: the channel's events arrive as
 * signed webhooks from Kick's public API on one local endpoint (verified,
 * deduplicated, persisted), chat replies and deletions go through
 * POST/DELETE /public/v1/chat, and the live stream is resolved with
 * streamlink for clips.
 */
export const kickPlugin = definePlugin({
  id: 'kick',
  version: pkg.version,
  kernel: '^0.2.0',
  description: 'Kick chat, follows, subs and live status from signed webhooks; replies via the public chat API; the stream for clips',
  configSchema,
  creatorConfigSchema,
  replay: 'skip', // a replay feeds logged chat; it must not call Kick
  register(reg) {
    const streams = new KickStreamSource();
    reg.extend(streamSourcesExtensionPoint, streams.source);

    const byBroadcaster = new Map<number, CreatorKick>();
    const byCreator = new Map<string, CreatorKick>();
    let api: KickApi | undefined;
    let appTokens: TokenSource | undefined;
    let server: WebhookServer | undefined;

    reg.onInit({
      deps: {
        bus: busRef,
        clock: clockRef,
        store: stateStoreRef,
        limits: rateLimitGovernorRef,
        actions: actionDispatcherRef,
        secrets: secretsRef,
      },
      async init({ config, deps, logger }) {
        const { bus, clock, secrets } = deps;
        secrets.add(config.clientSecret);
        streams.configure(config.streamlink, secrets);
        const now = () => clock.now();
        api = new KickApi({ apiOrigin: config.apiOrigin, userAgent: `StreamSuites/${pkg.version}`, redact: (text) => secrets.redactString(text) });
        appTokens = appTokenSource({ idOrigin: config.idOrigin, clientId: config.clientId, clientSecret: config.clientSecret, secrets }, now);

        // Kick's key: the configured PEM, else fetched once (a failed fetch is retried on the next delivery).
        let key: Promise<KeyObject> | undefined;
        const publicKey = (): Promise<KeyObject> => {
          key ??= (config.webhook.publicKey !== undefined ? Promise.resolve(config.webhook.publicKey) : api!.publicKey())
            .then(parsePublicKey)
            .catch((error: unknown) => {
              key = undefined;
              throw error;
            });
          return key;
        };
        if (config.webhook.publicKey !== undefined) await publicKey(); // a bad configured key fails at start, not at the first delivery

        const seen = new SeenMessageIds(deps.store, Math.max(config.webhook.dedupeWindowSec, config.webhook.maxAgeSec) * 1000, now);
        await seen.load();
        server = new WebhookServer({
          host: config.webhook.host,
          port: config.webhook.port,
          path: config.webhook.path,
          maxAgeMs: config.webhook.maxAgeSec * 1000,
          maxBodyBytes: config.webhook.maxBodyBytes,
          publicKey,
          seen,
          now,
          logger,
          onDelivery: (delivery) => route(delivery, bus, secrets, now, logger),
        });
        const url = await server.listen();
        logger.info({ url }, 'kick webhook endpoint listening');
        bus.emit('kick.webhook', { state: 'listening', url, at: now() });

        /** Runs a call with the creator's user token; a token Kick keeps refusing is also reported as platform.auth-failed. */
        const authReported = async <T>(creatorId: string, call: () => Promise<T>): Promise<T> => {
          try {
            return await call();
          } catch (error) {
            if (SS_ERR_KICK_AUTH.is(error)) bus.emit('platform.auth-failed', { creatorId, platform: 'kick', error: { code: error.code, message: error.message }, at: now() });
            throw error;
          }
        };
        deps.actions.registerHandler<{ text: string }>({
          type: 'chat.reply',
          platform: 'kick',
          timeoutMs: 60_000,
          async handle(params, ctx) {
            const entry = sender(ctx.creatorId);
            await deps.limits.acquire(kickChatLimitKey(ctx.creatorId), { signal: ctx.signal });
            // Kick caps a message at 500 characters.
            const content = [...params.text].slice(0, 500).join('');
            const sent = await authReported(ctx.creatorId, () => api!.sendChat(entry.userTokens, { type: entry.config.sendAs, content, broadcasterUserId: entry.broadcasterUserId }, ctx.signal));
            // Kick delivers the bot's own message back as chat.message.sent with this id: not emitted again (no self-triggering).
            if (sent.messageId !== undefined) entry.chatIds.add(sent.messageId);
            return sent;
          },
        });
        deps.actions.registerHandler<Record<string, never>>({
          type: 'chat.delete',
          platform: 'kick',
          async handle(_params, ctx) {
            const entry = sender(ctx.creatorId);
            if (ctx.message === undefined) throw new SS_ERR_KICK_CONFIG(`creator "${ctx.creatorId}"`, 'chat.delete needs the message that fired the action');
            await authReported(ctx.creatorId, () => api!.deleteChat(entry.userTokens, ctx.message!.id, ctx.signal));
          },
        });
      },
      async start({ creator, config, creatorConfig, deps, logger, signal }) {
        const { secrets } = deps;
        if (creatorConfig.accessToken !== undefined) secrets.add(creatorConfig.accessToken);
        if (creatorConfig.refreshToken !== undefined) secrets.add(creatorConfig.refreshToken);
        let broadcasterUserId = creatorConfig.broadcasterUserId;
        let live = false;
        try {
          const channel = await api!.channel(appTokens!, creatorConfig.channel, signal);
          if (channel === undefined) throw new SS_ERR_KICK_CONFIG(`creator "${creator.id}"`, `Kick has no channel "${creatorConfig.channel}"`);
          broadcasterUserId ??= channel.broadcaster_user_id;
          live = channel.stream?.is_live === true;
          if (config.subscribe) {
            const have = await api!.subscribedEvents(appTokens!, broadcasterUserId, signal);
            const missing = KICK_EVENTS.filter((name) => !have.has(name));
            if (missing.length > 0) {
              for (const result of await api!.subscribe(appTokens!, broadcasterUserId, missing, signal)) {
                if (result.error !== undefined) logger.warn({ event: result.name, error: result.error }, 'kick: an event subscription was refused');
              }
              logger.info({ events: missing }, 'kick: subscribed to webhook events');
            }
          }
        } catch (error) {
          if (SS_ERR_KICK_AUTH.is(error)) {
            deps.bus.emit('platform.auth-failed', { creatorId: creator.id, platform: 'kick', error: { code: error.code, message: error.message }, at: deps.clock.now() });
          }
          throw error;
        }
        const entry: CreatorKick = {
          creatorId: creator.id,
          channel: creatorConfig.channel,
          broadcasterUserId,
          config: creatorConfig,
          chatIds: new RecentIds(5000),
          logger,
        };
        if (creatorConfig.accessToken !== undefined || creatorConfig.refreshToken !== undefined) {
          // The newest tokens of this authorization, when an earlier run rotated them.
          const configured = creatorConfig.refreshToken;
          const tokens = new KickTokenStore(deps.store);
          const newest = configured === undefined ? undefined : await tokens.load(creator.id, configured);
          if (newest !== undefined) {
            secrets.add(newest.accessToken);
            secrets.add(newest.refreshToken);
          }
          entry.userTokens = userTokenSource(
            { idOrigin: config.idOrigin, clientId: config.clientId, clientSecret: config.clientSecret, secrets },
            () => deps.clock.now(),
            newest?.accessToken ?? creatorConfig.accessToken,
            newest?.refreshToken ?? configured,
            configured === undefined ? undefined : (rotated) => tokens.save(creator.id, configured, rotated, deps.clock.now()),
          );
        }
        deps.limits.configure(kickChatLimitKey(creator.id), { capacity: config.chatPerMinute, windowMs: 60_000 });
        byBroadcaster.set(broadcasterUserId, entry);
        byCreator.set(creator.id, entry);
        const unserve = streams.serve(creator.id, creatorConfig.channel);
        let socket: PusherChat | undefined;
        if (creatorConfig.unofficialChat !== undefined) {
          logger.warn(
            { chatroomId: creatorConfig.unofficialChat.chatroomId },
            "kick: UNOFFICIAL chat socket enabled (the Pusher connection of Kick's web client, not Kick's public API): read-only, may break or be blocked at any time",
          );
          socket = new PusherChat({
            url: config.unofficialChat.url,
            chatroomId: creatorConfig.unofficialChat.chatroomId,
            creatorId: creator.id,
            bus: deps.bus,
            clock: deps.clock,
            logger,
            backoff: config.unofficialChat.backoff,
            onChatMessage: (data) => {
              const ctx: NormalizeContext = { creatorId: creator.id, channel: creatorConfig.channel, receivedAt: deps.clock.now() };
              try {
                const message = socketToChatMessage(data as SocketChatMessage, broadcasterUserId, ctx);
                if (entry.chatIds.add(message.id)) deps.bus.emit('chat.message', message);
              } catch (error) {
                reportNormalizeFailed(entry, 'unofficial socket ChatMessageEvent', error, data, deps.bus, deps.secrets, () => deps.clock.now());
              }
            },
          });
          socket.start();
        }
        if (live) deps.bus.emit('stream.online', { creatorId: creator.id, platform: 'kick', channel: creatorConfig.channel, at: deps.clock.now() });
        return async () => {
          unserve();
          await socket?.stop();
          if (byBroadcaster.get(broadcasterUserId) === entry) byBroadcaster.delete(broadcasterUserId);
          if (byCreator.get(creator.id) === entry) byCreator.delete(creator.id);
        };
      },
      async stop({ deps }) {
        const url = server?.url;
        await server?.close();
        if (url !== undefined) deps.bus.emit('kick.webhook', { state: 'stopped', url, at: deps.clock.now() });
      },
    });

    /** The creator's entry for sending, or a coded error saying why it cannot send. */
    function sender(creatorId: string): CreatorKick & { userTokens: TokenSource } {
      const entry = byCreator.get(creatorId);
      if (entry === undefined) throw new SS_ERR_KICK_CONFIG(`creator "${creatorId}"`, 'the creator does not run Kick');
      if (entry.userTokens === undefined) {
        throw new SS_ERR_KICK_CONFIG(`creator "${creatorId}"`, 'sending needs a user access token (accessToken / refreshToken with the chat:write scope)');
      }
      return entry as CreatorKick & { userTokens: TokenSource };
    }

    /** One verified delivery to the bus, as the creator whose channel it is about. */
    function route(delivery: KickDelivery, bus: EventBus, secrets: SecretRegistry, now: () => number, logger: Logger): void {
      const payload = delivery.payload as { broadcaster?: KickUser } | null;
      const broadcasterId = payload?.broadcaster?.user_id;
      const entry = typeof broadcasterId === 'number' ? byBroadcaster.get(broadcasterId) : undefined;
      if (entry === undefined) {
        logger.debug({ messageId: delivery.messageId, eventType: delivery.eventType }, 'kick webhook for a channel no creator runs, ignored');
        return;
      }
      const ctx: NormalizeContext = { creatorId: entry.creatorId, channel: entry.channel, receivedAt: now() };
      try {
        switch (delivery.eventType) {
          case 'chat.message.sent': {
            const message = toChatMessage(delivery.payload as KickChatMessageSent, ctx);
            if (entry.chatIds.add(message.id)) bus.emit('chat.message', message);
            return;
          }
          case 'channel.followed':
            if (entry.config.notices.followers) bus.emit('chat.notice', followNotice(delivery.payload as KickFollowed, delivery.messageId, ctx));
            return;
          case 'channel.subscription.new':
          case 'channel.subscription.renewal':
            if (entry.config.notices.subscribers) {
              bus.emit('chat.notice', subscriptionNotice(delivery.payload as KickSubscription, delivery.eventType.endsWith('renewal'), delivery.messageId, ctx));
            }
            return;
          case 'channel.subscription.gifts':
            if (entry.config.notices.subscribers) bus.emit('chat.notice', giftsNotice(delivery.payload as KickSubscriptionGifts, delivery.messageId, ctx));
            return;
          case 'livestream.status.updated': {
            const status = delivery.payload as KickLivestreamStatus;
            if (typeof status.is_live !== 'boolean') throw new Error('is_live is missing');
            bus.emit(status.is_live ? 'stream.online' : 'stream.offline', toStreamStatus(status, ctx));
            return;
          }
          default:
            entry.logger.debug({ eventType: delivery.eventType }, 'kick webhook of an event type the plugin does not read, ignored');
        }
      } catch (error) {
        reportNormalizeFailed(entry, delivery.eventType, error, delivery.payload, bus, secrets, now);
      }
    }

    /** One item that could not be normalized: skipped, logged and emitted with a redacted sample. */
    function reportNormalizeFailed(entry: CreatorKick, what: string, error: unknown, raw: unknown, bus: EventBus, secrets: SecretRegistry, now: () => number): void {
      const coded = new SS_ERR_KICK_NORMALIZE_FAILED(what, (error as Error).message);
      const sample = redactedSample(secrets, JSON.stringify(raw) ?? '');
      entry.logger.warn({ code: coded.code, sample }, coded.message);
      bus.emit('platform.normalize-failed', { creatorId: entry.creatorId, platform: 'kick', code: coded.code, message: coded.message, sample, at: now() });
    }

  },
});
