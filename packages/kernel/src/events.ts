import type { SerializedError } from './coded-error.js';
import type { ActionDescriptor } from './contracts/actions.js';
import type { ChatMessage, ChatNotice, StreamStatus } from './contracts/chat.js';
import type { QuotaExceededEvent, QuotaSnapshot } from './contracts/quotas.js';
import type { TriggerFailedEvent } from './contracts/triggers.js';
import type { JobStateEvent } from './contracts/jobs.js';

/** What a reload changed. */
export interface ReloadSummary {
  source: string;
  /** Creators started. */
  added: string[];
  /** Creators stopped. */
  removed: string[];
  /** Creators whose entry changed (their triggers and rules swapped in one step). */
  updated: string[];
  /** Plugins restarted per creator (their creator config or enablement changed). */
  restarted: Record<string, string[]>;
  /** Top-level sections that changed (`tiers`, `identities`...). */
  sections: string[];
  at: number;
}

/** Phases of a plugin's life, as reported in `kernel.plugin.failed`. */
export type PluginPhase = 'register' | 'init' | 'start' | 'stop';

export interface PluginFailedEvent {
  pluginId: string;
  /** Set when the failure concerns one creator only. */
  creatorId?: string;
  phase: PluginPhase;
  error: SerializedError;
}

export interface ListenerErrorEvent {
  /** Event whose listener threw or rejected. */
  event: string;
  error: SerializedError;
}

export interface CreatorLifecycleEvent {
  creatorId: string;
  /** Plugins running for the creator. */
  plugins: string[];
}

/** The whole chat of a channel was cleared (`/clear`). */
export interface ChatClearedEvent {
  creatorId: string;
  platform: string;
  channel: string;
  /** Kernel clock time the clear was received (ms since epoch). */
  at: number;
}

/** A user was timed out (`durationSec` set) or banned (`action: 'ban'`). */
export interface ChatUserTimeoutEvent {
  creatorId: string;
  platform: string;
  channel: string;
  /** Platform user id of the target; `''` when the platform did not say. */
  userId: string;
  login: string;
  action: 'timeout' | 'ban';
  /** Timeout length in seconds; absent for bans. */
  durationSec?: number;
  /** Reason given by the moderator, where the platform still sends one. */
  reason?: string;
  at: number;
}

/**
 * Room modes. In a `chat.room-state` event only the keys the platform sent
 * are present (Twitch sends a full state on join, then one key per change).
 */
export interface ChatRoomState {
  emoteOnly?: boolean;
  /** Followers-only mode on or off. */
  followersOnly?: boolean;
  /** Minimum follow age in minutes when followers-only is on (0 = any follower). */
  followersOnlyMinutes?: number;
  /** Unique-chat (r9k) mode. */
  uniqueChat?: boolean;
  /** Seconds a user must wait between messages; 0 = off. */
  slowSec?: number;
  subsOnly?: boolean;
}

export interface ChatRoomStateEvent {
  creatorId: string;
  platform: string;
  channel: string;
  /** Platform channel id, when sent. */
  channelId?: string;
  state: ChatRoomState;
  at: number;
}

/** A platform rejected the credentials of a creator; that platform is stopped for the creator. */
export interface PlatformAuthFailedEvent {
  creatorId: string;
  platform: string;
  error: { code: string; message: string };
  at: number;
}

/**
 * A platform plugin could not normalize one inbound line or item (its
 * normalizer threw): the item was skipped and counted, the connection goes
 * on. Never carries a secret: `sample` is redacted with the kernel's
 * SecretRegistry before it is truncated.
 */
export interface PlatformNormalizeFailedEvent {
  creatorId: string;
  platform: string;
  /** The plugin's coded error, e.g. `SS_ERR_TWITCH_NORMALIZE_FAILED`. */
  code: string;
  message: string;
  /** The raw line or item as received, secrets redacted, at most 300 characters. */
  sample: string;
  at: number;
}

/**
 * Where a platform connection stands. `reconnecting` covers the wait before
 * the next attempt (a fault: dashboards show it as degraded); `offline` means
 * the platform answers but the creator is not live, so there is no chat to
 * read until a stream starts (not a fault).
 */
export type PlatformConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'auth-failed' | 'stopped';

/** A platform plugin's connection for one creator changed state. */
export interface PlatformConnectionEvent {
  creatorId: string;
  platform: string;
  state: PlatformConnectionState;
  /** Connection attempts so far. */
  attempt: number;
  /** Why it left `connected`, when known (never a secret). */
  reason?: string;
  /**
   * For plugins that read through several redundant connections: how many
   * are connected now, of how many kept. `state` stays `connected` while
   * one is; a drop to fewer than `total` is reported with the same state.
   */
  links?: { up: number; total: number };
  at: number;
}

/**
 * A time window in which a platform plugin read none of a creator's chat
 * (every connection was down): messages sent then may be missing. Reported
 * once the window ends — when a connection is back, or when the plugin
 * stopped — so a loss is never silent.
 */
export interface ChatGapEvent {
  creatorId: string;
  platform: string;
  channel?: string;
  /** Kernel time of the last line received before the window (chat was read up to here). */
  from: number;
  /** Kernel time reading resumed, or the plugin stopped. */
  to: number;
  /** Why the last connection was lost (never a secret). */
  reason?: string;
  /** False when the window ended because the plugin stopped, not because reading resumed. */
  resumed: boolean;
  at: number;
}

export interface TriggerFiredEvent {
  creatorId: string;
  triggerId: string;
  messageId: string;
  platform: string;
  args: string[];
  actions: ActionDescriptor[];
  at: number;
}

export interface ActionEvent {
  actionId: string;
  creatorId: string;
  /** Platform of the message that caused the action, when one did (for per-platform metrics). */
  platform?: string;
  action: ActionDescriptor;
  triggerId?: string;
  dryRun: boolean;
  at: number;
}

export interface ActionFailedEvent extends ActionEvent {
  error: SerializedError;
}

/**
 * A rate-limited call had to queue in the governor before it was granted
 * (calls granted at once are not reported). For metrics: how often and how
 * long senders wait on a key (`twitch:send:<bot>`, `youtube:send:<creator>`...).
 */
export interface RateLimitWaitedEvent {
  key: string;
  cost: number;
  /** Time from the acquire() call to the grant, on the kernel clock. */
  waitedMs: number;
  at: number;
}

export interface ChatDeletedEvent {
  creatorId: string;
  platform: string;
  channel: string;
  messageId: string;
  at: number;
}

/**
 * The typed event map. Keys are `<namespace>.<event>`; payloads are one plain,
 * JSON-serializable object. Plugins add their events by augmentation:
 *
 * ```ts
 * declare module '@streamsuites/kernel' {
 *   interface StreamSuitesEvents { 'clip.state': { clipId: string; state: string } }
 * }
 * ```
 */
export interface StreamSuitesEvents {
  'kernel.started': { creators: string[]; plugins: string[]; at: number };
  'kernel.stopping': { at: number };
  'kernel.stopped': { at: number; errors: number };
  'kernel.plugin.failed': PluginFailedEvent;
  'kernel.listener.error': ListenerErrorEvent;
  'kernel.creator.added': CreatorLifecycleEvent;
  'kernel.creator.removed': { creatorId: string };
  /** A standby creator became active (`kernel.promoteCreator`). */
  'kernel.creator.promoted': { creatorId: string; at: number };
  /** A reload applied a new configuration (`kernel.reload()`, `streamsuites run --watch`, the control plane). */
  'kernel.reload.applied': ReloadSummary;
  /** A reload was refused; the running configuration stays. */
  'kernel.reload.rejected': { source: string; issues: number; codes: string[]; at: number };

  'chat.message': ChatMessage;
  'chat.notice': ChatNotice;
  'chat.deleted': ChatDeletedEvent;
  'stream.online': StreamStatus;
  'stream.offline': StreamStatus;
  'platform.connection': PlatformConnectionEvent;
  'platform.auth-failed': PlatformAuthFailedEvent;
  /** One inbound line/item could not be normalized: skipped and counted (never silent), the connection goes on. */
  'platform.normalize-failed': PlatformNormalizeFailedEvent;
  'chat.cleared': ChatClearedEvent;
  'chat.user-timeout': ChatUserTimeoutEvent;
  'chat.room-state': ChatRoomStateEvent;
  /** Chat may be missing between `from` and `to`: every connection was down (see ChatGapEvent). */
  'chat.gap': ChatGapEvent;

  'trigger.fired': TriggerFiredEvent;
  /** A trigger's match() threw: that trigger was skipped for that message, the others ran. */
  'trigger.failed': TriggerFailedEvent;
  'action.dispatched': ActionEvent;
  'action.failed': ActionFailedEvent;

  /** A rate-limited call queued before it was granted (see RateLimitWaitedEvent). */
  'ratelimit.waited': RateLimitWaitedEvent;

  'quota.warning': QuotaSnapshot;
  'quota.exceeded': QuotaExceededEvent;

  /** A job was enqueued, started, retried, finished or cancelled. */
  'job.state': JobStateEvent;
}

export type EventName = keyof StreamSuitesEvents & string;
export type EventPayload<E extends EventName> = StreamSuitesEvents[E];
