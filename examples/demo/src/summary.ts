import type { DegradedPeriod } from './view/stats.js';
import type { ActionCounts } from './view/state.js';

/** The Twitch channel events the demo counts. */
export type TwitchEventKind = 'follow' | 'raid' | 'redemption';
export const TWITCH_EVENT_KINDS: readonly TwitchEventKind[] = ['follow', 'raid', 'redemption'];

/** Twitch channel events (EventSub) received, the manifest triggers they fired, and the redemptions fulfilled. */
export interface TwitchEventCounts {
  /** Kernel events `twitch.follow`, `twitch.raid`, `twitch.redemption`. */
  received: Record<TwitchEventKind, number>;
  /** `trigger.fired` for those events (event triggers), by the event's kind. */
  triggered: Record<TwitchEventKind, number>;
  /** Redemptions the local EventSub's Helix saw marked FULFILLED (`twitch.redemption.fulfill`). */
  fulfilled: number;
}

export interface DemoSummary {
  seconds: number;
  /** Creator ids in manifest order. */
  creators: readonly string[];
  messages: ReadonlyMap<string, number>;
  /** Messages per `creator/platform` (`DemoStats.messagesByPlatform()`). */
  platforms?: ReadonlyMap<string, number>;
  triggersFired: number;
  actions: ActionCounts;
  /** Chat lines the local Twitch chat server received from the demo's bot. */
  replies: number;
  /** Twitch channel events, when a creator subscribes to some (`events` in its twitch config). */
  twitchEvents?: TwitchEventCounts;
  /** Quota units the local YouTube API charged (when a creator streams on YouTube). */
  youtubeUnits?: number;
  /** Rumble rants (paid chat messages) received, and their total in micro-dollars (when a creator streams on Rumble). */
  rumbleRants?: { count: number; amountMicros: number };
  /** Clips published per `creator/platform` the `!clip` came from, and where they went. */
  clips?: ReadonlyMap<string, number>;
  clipsDir?: string;
  /** Chat lines the demo's bot sent through the local Kick's chat API (when a creator chats on Kick). */
  kickReplies?: number;
  /** The texts of the posts the local X API received (when a creator posts to X). */
  xPosts?: readonly string[];
  /** What the local Discord saw: the /status reply an operator got, and the go-live announcements posted. */
  discord?: { status: string | undefined; announcements: number };
  heartbeats: ReadonlyMap<string, number>;
  exportFiles: number;
  exportsRoot: string;
  dashboardUrl?: string;
  /**
   * Periods a platform was not `connected` (`DemoStats.degradedPeriods()`).
   * Those at least the threshold long are also among `errors`.
   */
  degraded?: readonly DegradedPeriod[];
  errors: number;
}

/** Periods listed in the summary line; the rest are counted. */
const LISTED_PERIODS = 3;

/**
 * `1 degraded period (maya/youtube 62 s: invalidPageToken)`; the longest
 * first, at most three, `+N more`; `so far` when it had not ended. Commas
 * and semicolons in reasons become spaces, so the line stays one
 * comma-separated list.
 */
export function formatDegraded(periods: readonly DegradedPeriod[]): string {
  const seconds = (ms: number) => `${ms < 10_000 ? (ms / 1000).toFixed(1) : Math.round(ms / 1000)} s`;
  const clean = (text: string) => text.replace(/[,;\s]+/g, ' ').trim().slice(0, 80);
  const listed = [...periods]
    .sort((a, b) => b.durationMs - a.durationMs || a.since - b.since)
    .slice(0, LISTED_PERIODS)
    .map((p) => {
      const reason = p.reason === undefined || clean(p.reason) === '' ? '' : `: ${clean(p.reason)}`;
      return `${p.creatorId}/${p.platform} ${seconds(p.durationMs)}${p.until === undefined ? ' so far' : ''}${reason}`;
    });
  const more = periods.length > LISTED_PERIODS ? `; +${periods.length - LISTED_PERIODS} more` : '';
  return `${periods.length} degraded period${periods.length === 1 ? '' : 's'} (${listed.join('; ')}${more})`;
}

/** `2 clips published in clips (daniel/twitch=1 sol/rumble=1)`: where from, in key order; no parentheses for none. */
export function formatClips(clips: ReadonlyMap<string, number>, dir: string): string {
  const from = [...clips].filter(([, n]) => n > 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const total = from.reduce((sum, [, n]) => sum + n, 0);
  return `${total} clips published in ${dir}${from.length === 0 ? '' : ` (${from.map(([key, n]) => `${key}=${n}`).join(' ')})`}`;
}

/**
 * `twitch events follow=1 raid=1 redemption=1 (triggered follow=1 raid=1 redemption=1; 1 fulfilled)`:
 * events received, the triggers they fired, and the redemptions marked fulfilled.
 */
export function formatTwitchEvents(e: TwitchEventCounts): string {
  const counts = (by: Record<TwitchEventKind, number>) => TWITCH_EVENT_KINDS.map((kind) => `${kind}=${by[kind]}`).join(' ');
  return `twitch events ${counts(e.received)} (triggered ${counts(e.triggered)}; ${e.fulfilled} fulfilled)`;
}

/** `1 X post(s) ("Maya is live: ...")`: what the local X API received, the first post quoted (commas dropped, at most 60 characters). */
export function formatXPosts(posts: readonly string[]): string {
  const first = posts[0] === undefined ? '' : ` ("${posts[0].replace(/[,;\s]+/g, ' ').trim().slice(0, 60)}")`;
  return `${posts.length} X post(s)${first}`;
}

/** `1 Rumble rant(s) ($5.00)`. */
export function formatRants(rants: { count: number; amountMicros: number }): string {
  return `${rants.count} Rumble rant(s) ($${(rants.amountMicros / 1_000_000).toFixed(2)})`;
}

/**
 * The one-line summary printed on exit. Test-facing: `messages a=1 b=2`,
 * `platforms a/twitch=1 a/youtube=2`,
 * `N triggers fired`, `N replies received by the chat server`,
 * `twitch events follow=N raid=N redemption=N (triggered ...; N fulfilled)`
 * when a creator subscribes to Twitch channel events (see `formatTwitchEvents`),
 * `N Rumble rant(s) ($X.XX)` when a creator streams on Rumble,
 * `N Kick replies` when a creator chats on Kick, `N X post(s) ("first post")` when a creator posts to X,
 * `N clips published in DIR (a/twitch=1 b/rumble=1)` (see `formatClips`),
 * `heartbeats a=1 b=2`, `N degraded period(s) (...)` when a platform was
 * not connected for a while (see `formatDegraded`), and a final
 * `, N error(s)` — which counts a platform degraded for 15 s or more, so the
 * exit code fails then, and not for a brief reconnect.
 */
export function formatSummary(s: DemoSummary): string {
  const perCreator = (counts: ReadonlyMap<string, number>) => s.creators.map((id) => `${id}=${counts.get(id) ?? 0}`).join(' ');
  const { executed, dryRun, failed, cancelled } = s.actions;
  return [
    `demo summary: ${s.seconds.toFixed(1)} s`,
    `${s.creators.length} creators`,
    `messages ${perCreator(s.messages)}`,
    ...(s.platforms === undefined ? [] : [`platforms ${[...s.platforms].map(([key, n]) => `${key}=${n}`).join(' ')}`]),
    `${s.triggersFired} triggers fired`,
    `actions executed=${executed} dry-run=${dryRun} failed=${failed} cancelled-at-stop=${cancelled}`,
    `${s.replies} replies received by the chat server`,
    ...(s.twitchEvents === undefined ? [] : [formatTwitchEvents(s.twitchEvents)]),
    ...(s.youtubeUnits === undefined ? [] : [`${s.youtubeUnits} YouTube quota units`]),
    ...(s.rumbleRants === undefined ? [] : [formatRants(s.rumbleRants)]),
    ...(s.clips === undefined ? [] : [formatClips(s.clips, s.clipsDir ?? 'clips')]),
    ...(s.discord === undefined ? [] : [`discord ${s.discord.status ?? 'no /status reply'}, ${s.discord.announcements} go-live announcement(s)`]),
    ...(s.kickReplies === undefined ? [] : [`${s.kickReplies} Kick replies`]),
    ...(s.xPosts === undefined ? [] : [formatXPosts(s.xPosts)]),
    `heartbeats ${perCreator(s.heartbeats)}`,
    `${s.exportFiles} export files in ${s.exportsRoot}`,
    ...(s.dashboardUrl === undefined ? [] : [`dashboard was ${s.dashboardUrl}`]),
    ...(s.degraded === undefined || s.degraded.length === 0 ? [] : [formatDegraded(s.degraded)]),
    `${s.errors} error(s)`,
  ].join(', ');
}
