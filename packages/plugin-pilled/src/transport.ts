import { createExtensionPoint, type ChatRole } from '@streamsuites/kernel';

/**
 * The contract a Pilled transport implements. Pilled publishes no documented
 * API (see the README "Status"), so this package ships none: a host that has
 * a way in (a partner API, its own bridge) supplies one, and the plugin does
 * the rest — config, `platform.connection`, normalizing to `chat.message` /
 * `stream.online` / `stream.offline`, `chat.reply`, stopping.
 */
export interface PilledTransport {
  /** Short name for logs and errors, e.g. `my-pilled-bridge`. */
  readonly name: string;
  /**
   * Opens one creator's feed. The plugin calls it once per creator start and
   * closes the connection when the creator stops (or `signal` aborts).
   * Throwing (or rejecting) fails that creator's start with SS_ERR_PILLED_TRANSPORT.
   */
  connect(target: PilledConnectTarget): PilledConnection | Promise<PilledConnection>;
}

/** Who to connect for. */
export interface PilledConnectTarget {
  creatorId: string;
  /** `creators.<id>.config.pilled.channel`. */
  channel: string;
  /** `creators.<id>.config.pilled.botUsername`, when set. */
  botUsername?: string;
  /** Aborted when the creator stops. */
  signal: AbortSignal;
}

/**
 * One creator's open feed: an async iterable of items, in arrival order. The
 * iteration ending means the feed ended (the plugin reports the connection
 * `stopped`); throwing means it failed (logged as SS_ERR_PILLED_TRANSPORT).
 */
export interface PilledConnection extends AsyncIterable<PilledItem> {
  /** Sends a chat line as the bot; absent for a read-only transport (`chat.reply` then fails with SS_ERR_PILLED_SEND_UNAVAILABLE). */
  send?(text: string): Promise<void>;
  /** Ends the feed and frees what it holds; the iteration must finish soon after. Called once. */
  close(): Promise<void>;
}

/** A chat line, already out of Pilled's wire format (the transport owns that edge). */
export interface PilledChatItem {
  kind: 'chat';
  /** Pilled's message id, unique on the platform. */
  id: string;
  author: {
    /** Pilled's user id (stable across renames). */
    id: string;
    /** Handle; lowercased by the plugin. */
    login: string;
    /** Name as shown; default `login`. */
    displayName?: string;
    roles?: readonly ChatRole[];
  };
  text: string;
  /** When Pilled says it was sent (ms since epoch); default: when received. */
  sentAt?: number;
}

/** The creator's live status; the plugin emits `stream.online` / `stream.offline` only on a change. */
export interface PilledLiveItem {
  kind: 'live';
  live: boolean;
  title?: string;
  /** Pilled's id of the broadcast. */
  streamId?: string;
  /** When the broadcast started (ms since epoch). */
  startedAt?: number;
}

export type PilledItem = PilledChatItem | PilledLiveItem;

/**
 * Where a host plugin contributes its transport, so Pilled works without
 * forking or wrapping this package: `reg.extend(pilledTransportsExtensionPoint, transport)`.
 * At most one transport in all (SS_ERR_PILLED_TRANSPORT_AMBIGUOUS otherwise).
 */
export const pilledTransportsExtensionPoint = createExtensionPoint<PilledTransport>({ id: 'pilled.transports' });

const ROLES: readonly ChatRole[] = ['broadcaster', 'moderator', 'vip', 'subscriber', 'member'];
const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/**
 * Why `item` is not a PilledItem, or undefined when it is. A transport is
 * someone else's code: what it yields is checked before anything reaches the bus.
 */
export function pilledItemProblem(item: unknown): string | undefined {
  if (typeof item !== 'object' || item === null) return 'not an object';
  const it = item as Record<string, unknown>;
  if (it.kind === 'live') {
    if (typeof it.live !== 'boolean') return 'live item: "live" must be true or false';
    if (it.title !== undefined && !isText(it.title, 500)) return 'live item: "title" must be a non-empty string';
    if (it.streamId !== undefined && !isText(it.streamId, 200)) return 'live item: "streamId" must be a non-empty string';
    if (it.startedAt !== undefined && !isTime(it.startedAt)) return 'live item: "startedAt" must be ms since epoch';
    return undefined;
  }
  if (it.kind !== 'chat') return `unknown kind ${JSON.stringify(it.kind)} (expected "chat" or "live")`;
  if (!isText(it.id, 200)) return 'chat item: "id" must be a non-empty string';
  if (typeof it.text !== 'string' || it.text.length > 10_000) return 'chat item: "text" must be a string';
  if (it.sentAt !== undefined && !isTime(it.sentAt)) return 'chat item: "sentAt" must be ms since epoch';
  const author = it.author as Record<string, unknown> | undefined;
  if (typeof author !== 'object' || author === null) return 'chat item: "author" must be an object';
  if (!isText(author.id, 200)) return 'chat item: "author.id" must be a non-empty string';
  if (!isText(author.login, 200)) return 'chat item: "author.login" must be a non-empty string';
  if (author.displayName !== undefined && !isText(author.displayName, 200)) return 'chat item: "author.displayName" must be a non-empty string';
  if (author.roles !== undefined && (!Array.isArray(author.roles) || author.roles.some((r) => !ROLES.includes(r as ChatRole)))) {
    return `chat item: "author.roles" must be an array of ${ROLES.join(', ')}`;
  }
  return undefined;
}

/** Roles deduplicated and in the kernel's order (most privileged first), as every platform plugin emits them. */
export function sortRoles(roles: readonly ChatRole[] | undefined): ChatRole[] {
  return ROLES.filter((r) => roles?.includes(r));
}
