import type { ActionCounts } from './view/state.js';

export interface DemoSummary {
  seconds: number;
  /** Creator ids in manifest order. */
  creators: readonly string[];
  messages: ReadonlyMap<string, number>;
  triggersFired: number;
  actions: ActionCounts;
  /** Chat lines the local Twitch chat server received from the demo's bot. */
  replies: number;
  /** Quota units the local YouTube API charged (when a creator streams on YouTube). */
  youtubeUnits?: number;
  /** Clips published, and where they went. */
  clips?: number;
  clipsDir?: string;
  heartbeats: ReadonlyMap<string, number>;
  exportFiles: number;
  exportsRoot: string;
  dashboardUrl?: string;
  errors: number;
}

/**
 * The one-line summary printed on exit. Test-facing: `messages a=1 b=2`,
 * `N triggers fired`, `N replies received by the chat server`,
 * `heartbeats a=1 b=2` and a final `, N error(s)`.
 */
export function formatSummary(s: DemoSummary): string {
  const perCreator = (counts: ReadonlyMap<string, number>) => s.creators.map((id) => `${id}=${counts.get(id) ?? 0}`).join(' ');
  const { executed, dryRun, failed, cancelled } = s.actions;
  return [
    `demo summary: ${s.seconds.toFixed(1)} s`,
    `${s.creators.length} creators`,
    `messages ${perCreator(s.messages)}`,
    `${s.triggersFired} triggers fired`,
    `actions executed=${executed} dry-run=${dryRun} failed=${failed} cancelled-at-stop=${cancelled}`,
    `${s.replies} replies received by the chat server`,
    ...(s.youtubeUnits === undefined ? [] : [`${s.youtubeUnits} YouTube quota units`]),
    ...(s.clips === undefined ? [] : [`${s.clips} clips published in ${s.clipsDir ?? 'clips'}`]),
    `heartbeats ${perCreator(s.heartbeats)}`,
    `${s.exportFiles} export files in ${s.exportsRoot}`,
    ...(s.dashboardUrl === undefined ? [] : [`dashboard was ${s.dashboardUrl}`]),
    `${s.errors} error(s)`,
  ].join(', ');
}
