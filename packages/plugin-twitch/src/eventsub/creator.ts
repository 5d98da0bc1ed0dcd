import type { Clock, EventBus, Logger, SecretRegistry } from '@streamsuites/kernel';
import { SS_ERR_TWITCH_CONFIG } from '../errors.js';
import type { RoomStates } from '../normalize/rooms.js';
import { OwnEchoes } from '../own-echoes.js';
import { EventSubClient } from './client.js';
import { eventSubDelivery } from './deliver.js';
import { channelNormalizers } from './normalize/channel.js';
import { chatNormalizers } from './normalize/chat.js';
import { CHANNEL_SUBSCRIPTIONS, CHAT_SUBSCRIPTIONS, type HelixAccess } from './subscriptions.js';

const NORMALIZERS = { ...chatNormalizers, ...channelNormalizers };

export interface CreatorEventSubOptions {
  creatorId: string;
  channel: string;
  botLogin: string;
  /** Read chat over EventSub (else only the channel events). */
  chat: boolean;
  /** Channel event subscription types (`events` in the creator config). */
  events: readonly string[];
  url: string;
  keepaliveTimeoutSec: number;
  helix: HelixAccess;
  backoff: { initialMs: number; maxMs: number; factor: number; jitter: number };
  dedupeWindow: number;
  /** Shared with IRC when both read the chat. */
  seen: { add(id: string): boolean };
  rooms: RoomStates;
  /** EventSub is the only chat transport: its state is the creator's `platform.connection`, its lost windows `chat.gap`. */
  soleChatTransport: boolean;
  bus: EventBus;
  clock: Clock;
  logger: Logger;
  secrets: SecretRegistry;
}

/** The EventSub side of one creator: its client, and the echo book replies must feed. */
export interface CreatorEventSub {
  client: EventSubClient;
  /** Feed every line the bot sends: EventSub delivers the bot's own messages back. */
  echoes: OwnEchoes;
}

/** Which subscription types a creator's `events` names; unknown ones are a config error listing the known. */
export function channelSubscriptionsFor(creatorId: string, events: readonly string[]) {
  const known = new Map(CHANNEL_SUBSCRIPTIONS.map((spec) => [spec.type, spec]));
  const unknown = events.filter((type) => !known.has(type));
  if (unknown.length > 0) {
    throw new SS_ERR_TWITCH_CONFIG(creatorId, `events: unknown EventSub type(s) ${unknown.join(', ')}; known: ${[...known.keys()].join(', ')}`);
  }
  return events.map((type) => known.get(type)!);
}

export function createCreatorEventSub(o: CreatorEventSubOptions): CreatorEventSub {
  const echoes = new OwnEchoes();
  const delivery = eventSubDelivery({
    creatorId: o.creatorId,
    login: o.botLogin,
    bus: o.bus,
    clock: o.clock,
    logger: o.logger,
    secrets: o.secrets,
    seen: o.seen,
    rooms: o.rooms,
    echoes,
  });
  let attempt = 0;
  const client = new EventSubClient({
    creatorId: o.creatorId,
    url: o.url,
    helix: o.helix,
    broadcasterLogin: o.channel,
    userLogin: o.botLogin,
    subscriptions: [...(o.chat ? CHAT_SUBSCRIPTIONS : []), ...channelSubscriptionsFor(o.creatorId, o.events)],
    normalizers: NORMALIZERS,
    clock: o.clock,
    logger: o.logger,
    keepaliveTimeoutSec: o.keepaliveTimeoutSec,
    backoff: o.backoff,
    dedupeWindow: o.dedupeWindow,
    deliver: delivery.deliver,
    onState: (state, reason) => {
      if (state === 'reconnecting') attempt += 1;
      if (state === 'connected') attempt = 0;
      if (!o.soleChatTransport) return;
      o.bus.emit('platform.connection', {
        creatorId: o.creatorId,
        platform: 'twitch',
        state,
        attempt,
        ...(reason === undefined ? {} : { reason: o.secrets.redactString(reason) }),
        at: o.clock.now(),
      });
    },
    onGap: (from, to, reason) => {
      if (!o.soleChatTransport) return;
      o.bus.emit('chat.gap', { creatorId: o.creatorId, platform: 'twitch', channel: o.channel, from, to, reason: o.secrets.redactString(reason), resumed: true, at: o.clock.now() });
    },
  });
  return { client, echoes };
}
