/**
 * `shared/state/runtime_snapshot.json`: uptime, and per creator and platform
 * the status (degraded while the connection is not connected), the
 * connection state since when and why, whether the stream is live (since
 * when), messages (in all, and in the last full minute), last message time
 * and errors.
 */
import { Type, type Kernel } from '@streamsuites/kernel';
import type { ExportSection } from './contract.js';
import type { ConnectionRecord, RuntimeObserver } from './observer.js';
import { Iso, iso, section } from './section.js';

const KNOWN_PLATFORMS = new Set(['twitch', 'youtube', 'rumble', 'discord', 'kick', 'x']);

/**
 * A platform's status in the runtime snapshot: the plugin's status (or
 * `receiving` / `unknown` without one), except that a live platform whose
 * connection is not `connected` is `connecting` (never connected yet),
 * `auth-failed`, `offline` (reachable, but the creator is not live: no chat
 * until a stream starts; not a fault), or `degraded` (reconnecting, waiting
 * for a backoff or the quota) — never `running`.
 */
export function platformStatus(pluginStatus: string, connection: ConnectionRecord | undefined): string {
  const live = pluginStatus === 'running' || pluginStatus === 'receiving' || pluginStatus === 'unknown';
  if (!live || connection === undefined || connection.state === 'connected') return pluginStatus;
  if (connection.state === 'auth-failed') return 'auth-failed';
  if (connection.state === 'offline') return 'offline';
  if (connection.state === 'connecting' && !connection.everConnected) return 'connecting';
  return 'degraded';
}

const Connection = Type.Object({
  state: Type.String(),
  since: Iso,
  reason: Type.Optional(Type.String()),
  attempt: Type.Integer({ minimum: 0 }),
});

export function runtimeSnapshotSection(observer: RuntimeObserver, creatorIds: (kernel: Kernel) => string[]): ExportSection<unknown> {
  return section(
    'shared/state/runtime_snapshot.json',
    'dashboard-only',
    'Runtime status: uptime, and per creator and platform the status (degraded while the connection is not connected), connection state since when and why, whether the stream is live and since when, messages (in all and in the last full minute), last message time and errors.',
    Type.Object({
      runtime: Type.Object({ state: Type.String(), startedAt: Type.Optional(Iso), uptimeSec: Type.Integer({ minimum: 0 }) }),
      creators: Type.Array(
        Type.Object({
          id: Type.String(),
          platforms: Type.Array(
            Type.Object({
              platform: Type.String(),
              status: Type.String(),
              connection: Type.Optional(Connection),
              live: Type.Boolean(),
              liveSince: Type.Optional(Iso),
              messages: Type.Integer(),
              messagesPerMinute: Type.Integer({ minimum: 0 }),
              lastMessageAt: Type.Optional(Iso),
              errors: Type.Integer(),
            }),
          ),
        }),
      ),
    }),
    ({ kernel, now }) => {
      observer.attach(kernel.bus);
      const status = new Map(kernel.status().creators.map((c) => [c.id, c.plugins]));
      const startedAt = kernel.startedAt;
      return {
        runtime: {
          state: kernel.state,
          ...(startedAt === undefined ? {} : { startedAt: iso(startedAt) }),
          uptimeSec: startedAt === undefined ? 0 : Math.max(0, Math.floor((now - startedAt) / 1000)),
        },
        creators: creatorIds(kernel).map((id) => {
          const plugins = status.get(id) ?? {};
          const activity = observer.activity(id);
          const names = new Set([
            ...activity.keys(),
            ...observer.connectedPlatforms(id),
            ...observer.livePlatforms(id),
            ...Object.keys(plugins).filter((p) => KNOWN_PLATFORMS.has(p)),
          ]);
          return {
            id,
            platforms: [...names].sort().map((platform) => {
              const seen = activity.get(platform);
              const connection = observer.connectionOf(id, platform);
              const live = observer.liveOf(id, platform);
              return {
                platform,
                status: platformStatus(plugins[platform] ?? (seen === undefined ? 'unknown' : 'receiving'), connection),
                ...(connection === undefined
                  ? {}
                  : {
                      connection: {
                        state: connection.state,
                        since: iso(connection.since),
                        ...(connection.reason === undefined ? {} : { reason: connection.reason }),
                        attempt: connection.attempt,
                      },
                    }),
                live: live?.live === true,
                ...(live?.live === true && live.since !== undefined ? { liveSince: iso(live.since) } : {}),
                messages: seen?.messages ?? 0,
                messagesPerMinute: observer.rate.lastFullMinute(id, platform, now),
                ...(seen === undefined ? {} : { lastMessageAt: iso(seen.lastMessageAt) }),
                errors: observer.failures(id, platform),
              };
            }),
          };
        }),
      };
    },
    ['kernel.started', 'kernel.creator.added', 'kernel.creator.removed', 'kernel.plugin.failed', 'platform.connection', 'stream.online', 'stream.offline'],
  );
}
